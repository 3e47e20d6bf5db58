import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, num, record, str } from '../validate/json';
import type { ClusterState } from './cluster-state';
import type { CallEdge } from './converge-input';
import { apexName } from './flagger';
import { linkerdInjected } from './linkerd-proxy';
import { chartPodsAt, loadTests, reachesCanaryPods, type LoadTest } from './load-tests';
import { builtinMetrics } from './metrics';
import { placeOf } from './place';
import { podsOfWorkload } from './serving-pods';

/**
 * `converge/no-metrics-traffic`: per Flagger provider, where the metrics its analysis reads are
 * measured, and which requests get there (fluxcd/flagger v1.44.0):
 * - kubernetes (pkg/router/kubernetes_default.go): the apex keeps every request on the primary
 *   until promotion; only a load test to a Service that selects the canary pods reaches them;
 * - istio (pkg/router/istio.go, pkg/metrics/observers/istio.go): measured by the destination's
 *   sidecar; weighted and A/B routes split live traffic at the mesh and the gateway;
 * - linkerd (pkg/router/factory.go → SmiRouter, pkg/router/smi.go: an SMI TrafficSplit on the
 *   apex; pkg/metrics/observers/linkerd.go): measured by the canary pods' inbound proxy; the split
 *   is applied by the *caller's* proxy, so only meshed callers or a load test reach the canary;
 * - gatewayapi (pkg/router/gateway_api.go; observers/factory.go gives it the http observer of the
 *   kubernetes provider): measured by the application itself; the HTTPRoute's weights split
 *   traffic through a parent Gateway, or, for a Service parent (GAMMA), through the mesh of
 *   meshed callers;
 * - traefik (pkg/router/traefik.go, observers/traefik.go) and nginx (pkg/router/ingress.go,
 *   observers/nginx.go: `nginx_ingress_controller_requests{ingress=<ingressRef>, canary!=""}`):
 *   measured by the ingress controller for requests it routes with a Host of the route, so a
 *   load test must go through the controller's Service with that Host.
 * Blue/green (`iterations` without `match`) keeps the canary's weight at 0 on every provider
 * until promotion (scheduler.go runBlueGreen): only a load test to the canary pods reaches them,
 * and an ingress controller then measures nothing for the canary at all.
 */
export const NO_METRICS_TRAFFIC = 'converge/no-metrics-traffic';

export interface TrafficContext {
  readonly cluster: string;
  readonly state: ClusterState;
  readonly canary: KubeObject;
  readonly provider: string;
  readonly calls: readonly CallEdge[];
}

type Strategy = 'blue-green' | 'ab' | 'canary';

/** Canary.DeploymentStrategy (fluxcd/flagger v1.44.0 pkg/apis/flagger/v1beta1/canary.go). */
export function strategyOf(canary: KubeObject): Strategy {
  const analysis = record(record(canary.spec).analysis);
  const iterations = num(analysis.iterations) ?? 0;
  if (list(analysis.match).length > 0 && iterations > 0) return 'ab';
  return iterations > 0 ? 'blue-green' : 'canary';
}

/** The rule of each provider the generator can emit (src/model/cluster.ts ProgressiveDeliverySpec.provider). */
const TRAFFIC_RULES: Readonly<Record<string, (ctx: TrafficContext) => Problem[]>> = {
  kubernetes: (ctx) => needsLoadTestToCanary(ctx, 'runs blue/green with the kubernetes provider: the apex Service sends every request to the primary until promotion'),
  istio: (ctx) => (strategyOf(ctx.canary) === 'blue-green' ? needsLoadTestToCanary(ctx, 'runs blue/green: Istio keeps the canary weight at 0 until promotion') : []),
  linkerd: linkerdTraffic,
  gatewayapi: gatewayApiTraffic,
  traefik: (ctx) => ingressTraffic(ctx, { name: 'Traefik', chart: 'traefik', service: (release) => release, hosts: traefikHosts(ctx) }),
  nginx: (ctx) => ingressTraffic(ctx, { name: 'ingress-nginx', chart: 'ingress-nginx', service: (release) => `${release}-controller`, hosts: nginxHosts(ctx) }),
};

/** `gatewayapi:v1` → `gatewayapi`. */
export function providerFamily(provider: string): string {
  return provider.split(':')[0];
}

export function trafficProblems(ctx: TrafficContext): Problem[] {
  return TRAFFIC_RULES[providerFamily(ctx.provider)]?.(ctx) ?? [];
}

const nameOf = (canary: KubeObject) => `Canary ${namespaceOf(canary)}/${canary.metadata.name}`;

function noTraffic(ctx: TrafficContext, why: string, fix: string): Problem[] {
  return [error(NO_METRICS_TRAFFIC, placeOf(ctx.cluster, ctx.canary, 'spec.analysis.webhooks'), `${nameOf(ctx.canary)} ${why}, so its analysis finds no values and every release rolls back.`, fix)];
}

const loadTestFix = (ctx: TrafficContext) => {
  const apex = apexName(ctx.canary);
  return `Add a load test webhook (canary.webhooks.loadTest) that sends requests to http://${apex}-canary.${namespaceOf(ctx.canary)}:<port>/.`;
};

function needsLoadTestToCanary(ctx: TrafficContext, why: string, apexSplit = false): Problem[] {
  if (loadTests(ctx.canary).some((t) => reachesCanaryPods(ctx.state, ctx.canary, t, apexSplit))) return [];
  const apex = apexName(ctx.canary);
  return noTraffic(ctx, `${why}, and no load test sends requests to ${apex}-canary`, loadTestFix(ctx));
}

/** Callers (the model's `calls`) whose pods carry the mesh proxy that applies the split. */
function meshedCallers(ctx: TrafficContext, meshed: (pods: ReturnType<typeof podsOfWorkload>[number]) => boolean): string[] {
  const target = str(record(record(ctx.canary.spec).targetRef).name);
  return ctx.calls
    .filter((e) => e.callee.namespace === namespaceOf(ctx.canary) && e.callee.name === target)
    .filter((e) => podsOfWorkload(ctx.state, e.caller.namespace, e.caller.name).some(meshed))
    .map((e) => `${e.caller.namespace}/${e.caller.name}`);
}

function linkerdTraffic(ctx: TrafficContext): Problem[] {
  const tester = ctx.state.pods.find((p) => p.origin === 'helm-release' && p.labels['app.kubernetes.io/name'] === 'loadtester');
  // The TrafficSplit is applied by the client's proxy: a load test to the apex reaches the canary only from a meshed load tester.
  const apexSplit = tester !== undefined && linkerdInjected(ctx.state, tester);
  if (strategyOf(ctx.canary) === 'blue-green') return needsLoadTestToCanary(ctx, 'runs blue/green: the TrafficSplit keeps the canary weight at 0 until promotion', apexSplit);
  if (loadTests(ctx.canary).some((t) => reachesCanaryPods(ctx.state, ctx.canary, t, apexSplit))) return [];
  if (meshedCallers(ctx, (pods) => linkerdInjected(ctx.state, pods)).length > 0) return [];
  const apex = apexName(ctx.canary);
  return noTraffic(
    ctx,
    `uses the linkerd provider, whose TrafficSplit on ${apex} is applied by the callers' Linkerd proxies, but no meshed caller calls ${apex} and no load test sends requests to the canary pods (an ingress outside the mesh, such as an ALB, sends straight to pod IPs)`,
    `${loadTestFix(ctx)} Linkerd's inbound proxy measures those requests.`,
  );
}

function gatewayApiTraffic(ctx: TrafficContext): Problem[] {
  if (strategyOf(ctx.canary) === 'blue-green') return needsLoadTestToCanary(ctx, 'runs blue/green: the HTTPRoute keeps the canary weight at 0 until promotion');
  if (loadTests(ctx.canary).some((t) => reachesCanaryPods(ctx.state, ctx.canary, t))) return [];
  const parents = list(record(record(ctx.canary.spec).service).gatewayRefs).filter(isRecord);
  // A Gateway parent splits the requests its listeners receive; a Service parent (GAMMA) only
  // what meshed callers send.
  if (parents.some((p) => (str(p.kind) ?? 'Gateway') === 'Gateway')) return [];
  const meshed = meshedCallers(ctx, (pods) => pods.sidecar || linkerdInjected(ctx.state, pods));
  if (meshed.length > 0) return [];
  const apex = apexName(ctx.canary);
  return noTraffic(
    ctx,
    `uses the gatewayapi provider with the HTTPRoute attached to Service ${apex} (GAMMA), which splits only requests of callers in a mesh, but no meshed caller calls ${apex} and no load test sends requests to the canary pods`,
    `${loadTestFix(ctx)} Or attach the route to a Gateway (expose the service).`,
  );
}

interface IngressController {
  readonly name: string;
  readonly chart: string;
  /** The chart's Service name for a release. */
  readonly service: (release: string) => string;
  /** Hosts of the routes that send to the canaried service through this controller. */
  readonly hosts: readonly string[];
}

function ingressTraffic(ctx: TrafficContext, controller: IngressController): Problem[] {
  const { canary } = ctx;
  const apex = apexName(canary);
  const tests = loadTests(canary);
  if (strategyOf(canary) === 'blue-green' && builtinMetrics(canary).length > 0) {
    return noTraffic(
      ctx,
      `runs blue/green with the ${ctx.provider} provider: ${controller.name} sends every request to the primary until promotion, and a load test to ${apex}-canary bypasses ${controller.name}, so the built-in metrics, which ${controller.name} measures, never see the canary`,
      `Use a canary strategy (stepWeight) with a load test through ${controller.name}, or MetricTemplates on the application's own metrics (templateRef).`,
    );
  }
  if (tests.length === 0) {
    return controller.hosts.length > 0
      ? []
      : noTraffic(ctx, `uses the ${ctx.provider} provider, but no route of ${controller.name} sends to ${apex} and no load test runs: ${controller.name} measures nothing for the canary`, `Expose the service through ${controller.name} or add a load test through ${controller.name}.`);
  }
  const through = (t: LoadTest) => chartPodsAt(ctx.state, controller.chart, t.url, controller.service) !== undefined && t.host !== undefined && controller.hosts.includes(t.host);
  if (tests.some(through)) return [];
  const bypass = tests.some((t) => t.url?.includes('-canary'));
  return noTraffic(
    ctx,
    `uses the ${ctx.provider} provider, whose metrics ${controller.name} emits only for requests it routes, but its load test (${tests.map((t) => t.url ?? t.cmd).join(', ')}) ${bypass ? `calls the canary Service directly, bypassing ${controller.name}` : `does not go through ${controller.name} with the Host of a route to ${apex}`}`,
    `Send the load test to ${controller.name}'s Service with the route's Host header, e.g. hey -host ${controller.hosts[0] ?? '<host>'} http://${controller.service(controller.chart)}.<namespace>/<path>.`,
  );
}

/** Hosts of IngressRoutes that route to the apex (its TraefikService or Service). */
function traefikHosts(ctx: TrafficContext): string[] {
  const apex = apexName(ctx.canary);
  return ctx.state
    .ofKind('IngressRoute')
    .filter((r) => namespaceOf(r) === namespaceOf(ctx.canary))
    .flatMap((r) => list(record(r.spec).routes).filter(isRecord))
    .filter((route) => list(route.services).some((s) => str(record(s).name) === apex))
    .flatMap((route) => [...(str(route.match) ?? '').matchAll(/Host\(`([^`]+)`\)/g)].map((m) => m[1]));
}

/** Hosts of the Ingress the Canary's ingressRef names (Flagger clones it as `<ingress>-canary`). */
function nginxHosts(ctx: TrafficContext): string[] {
  const name = str(record(record(ctx.canary.spec).ingressRef).name);
  const ingress = name ? ctx.state.find('Ingress', namespaceOf(ctx.canary), name) : undefined;
  return list(record(ingress?.spec).rules)
    .filter(isRecord)
    .flatMap((rule) => (str(rule.host) ? [str(rule.host) as string] : []));
}
