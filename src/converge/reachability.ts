import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, num, record, str } from '../validate/json';
import type { ClusterState, PodSet, ServiceState } from './cluster-state';
import type { CallEdge } from './converge-input';
import { chartOf } from './helm-release-pods';
import { metricsScrapeTargets, metricsSourceOf, parseHost } from './metrics';
import { connectionAllowed, isolatingPolicies, type Source } from './network-policy';
import { placeOf } from './place';
import { podsOfWorkload, podsServing, targetPortOn } from './serving-pods';

/**
 * `converge/unreachable`: traffic the fleet relies on is dropped by NetworkPolicies, evaluated
 * on the pods that will actually run (Flagger's primaries with their rewritten labels, canaries,
 * Rollout ReplicaSets, sidecar ports):
 * - every pod serving a caller reaches every pod serving each service it `calls`;
 * - the ingress data plane reaches every pod each route sends to;
 * - the metrics source scrapes every pod a canary analysis reads metrics from;
 * - flagger-loadtester reaches every pod behind the Service its load and acceptance tests call.
 */
export const UNREACHABLE = 'converge/unreachable';

export interface ReachabilityContext {
  readonly cluster: string;
  readonly state: ClusterState;
  readonly calls: readonly CallEdge[];
  readonly ingress?: Source;
}

export function checkReachability(ctx: ReachabilityContext): Problem[] {
  return [...checkCalls(ctx), ...checkRoutes(ctx), ...checkMetricsScrapes(ctx), ...checkLoadTests(ctx)];
}

function checkCalls(ctx: ReachabilityContext): Problem[] {
  const { state } = ctx;
  return ctx.calls.flatMap((edge) => {
    const service = state.services.get(`${edge.callee.namespace}/${edge.callee.name}`);
    if (!service) return [];
    const callers = podsOfWorkload(state, edge.caller.namespace, edge.caller.name);
    const callees = podsServing(state, service);
    return callers.flatMap((from) =>
      callees.flatMap((to) =>
        edge.ports.flatMap((servicePort) => {
          const port = targetPortOn(service, servicePort, to);
          if (port === undefined || connectionAllowed(state, { from: { kind: 'pods', pods: from }, to, port })) return [];
          return [
            unreachable(ctx, to, port, { kind: 'pods', pods: from }, `${edge.caller.name} calls ${edge.callee.name} (Service ${service.namespace}/${service.name} port ${servicePort})`),
          ];
        }),
      ),
    );
  });
}

/** Services each route object sends to: Ingress, Traefik IngressRoute, Gateway API HTTPRoute, Istio VirtualService. */
export function routeBackends(route: KubeObject): { namespace: string; name: string; port?: number }[] {
  const spec = record(route.spec);
  const ns = namespaceOf(route);
  switch (route.kind) {
    case 'Ingress':
      return list(spec.rules).flatMap((rule) =>
        list(record(record(rule).http).paths).map((path) => {
          const svc = record(record(record(path).backend).service);
          return { namespace: ns, name: str(svc.name) ?? '', port: num(record(svc.port).number) };
        }),
      );
    case 'IngressRoute':
      return list(spec.routes).flatMap((r) => list(record(r).services).filter(isRecord).map((s) => ({ namespace: str(s.namespace) ?? ns, name: str(s.name) ?? '', port: num(s.port) })));
    case 'HTTPRoute':
      return list(spec.rules).flatMap((r) =>
        list(record(r).backendRefs)
          .filter(isRecord)
          .filter((b) => (str(b.kind) ?? 'Service') === 'Service')
          .map((b) => ({ namespace: str(b.namespace) ?? ns, name: str(b.name) ?? '', port: num(b.port) })),
      );
    case 'VirtualService':
      return list(spec.http).flatMap((r) =>
        list(record(r).route).map((d) => {
          const destination = record(record(d).destination);
          const [name, namespace] = (str(destination.host) ?? '').split('.');
          return { namespace: namespace ?? ns, name, port: num(record(destination.port).number) };
        }),
      );
    default:
      return [];
  }
}

function checkRoutes(ctx: ReachabilityContext): Problem[] {
  const { state, ingress } = ctx;
  if (!ingress) return [];
  const routes = ['Ingress', 'IngressRoute', 'HTTPRoute', 'VirtualService'].flatMap((kind) => state.ofKind(kind));
  // A mesh-only VirtualService (no gateways) is not served by the ingress data plane.
  const external = routes.filter((r) => r.kind !== 'VirtualService' || list(record(r.spec).gateways).some((g) => g !== 'mesh'));
  return external.flatMap((route) =>
    routeBackends(route).flatMap((backend) => {
      const service = backendService(state, backend.namespace, backend.name);
      if (!service) return [];
      return podsServing(state, service).flatMap((to) => {
        const port = targetPortOn(service, backend.port, to);
        if (port === undefined || connectionAllowed(state, { from: ingress, to, port })) return [];
        return [unreachable(ctx, to, port, ingress, `${route.kind} ${namespaceOf(route)}/${route.metadata.name} routes to Service ${service.namespace}/${service.name}`)];
      });
    }),
  );
}

/** A route's backend: a Service, or (Traefik) a TraefikService Flagger names after the apex Service. */
function backendService(state: ClusterState, namespace: string, name: string): ServiceState | undefined {
  return state.services.get(`${namespace}/${name}`);
}

function checkMetricsScrapes(ctx: ReachabilityContext): Problem[] {
  const { state } = ctx;
  return state.ofKind('Canary').flatMap((canary) => {
    const source = metricsSourceOf(state, canary);
    if (!source) return [];
    return metricsScrapeTargets(state, canary).flatMap(({ pods, port }) => {
      if (port === undefined) return [];
      return source.flatMap((from) =>
        connectionAllowed(state, { from: { kind: 'pods', pods: from }, to: pods, port })
          ? []
          : [unreachable(ctx, pods, port, { kind: 'pods', pods: from }, `Canary ${namespaceOf(canary)}/${canary.metadata.name} analyses metrics Prometheus scrapes from ${pods.id}`)],
      );
    });
  });
}

/**
 * Webhooks run by flagger-loadtester (`url` is the load tester) call the URL in their command
 * from the load tester's pods (fluxcd/flagger v1.44.0 pkg/loadtester).
 */
function checkLoadTests(ctx: ReachabilityContext): Problem[] {
  const { state } = ctx;
  const tester = state.pods.find((p) => p.origin === 'helm-release' && chartOf(p.source) === 'loadtester');
  if (!tester) return [];
  return state.ofKind('Canary').flatMap((canary) =>
    list(record(record(canary.spec).analysis).webhooks)
      .filter(isRecord)
      .filter((hook) => parseHost(str(hook.url))?.name === tester.labels['app.kubernetes.io/instance'])
      .flatMap((hook) => {
        const url = /(https?:\/\/\S+)/.exec(str(record(hook.metadata).cmd) ?? '')?.[1];
        const host = parseHost(url);
        const service = host ? state.services.get(`${host.namespace ?? namespaceOf(canary)}/${host.name}`) : undefined;
        if (!service || !host) return [];
        const servicePort = host.port ?? (url?.startsWith('https') ? 443 : 80);
        return state.podsSelectedBy(service.namespace, service.selector).flatMap((to) => {
          const port = targetPortOn(service, servicePort, to);
          if (port === undefined || connectionAllowed(state, { from: { kind: 'pods', pods: tester }, to, port })) return [];
          return [unreachable(ctx, to, port, { kind: 'pods', pods: tester }, `Canary ${namespaceOf(canary)}/${canary.metadata.name}'s webhook ${str(hook.name)} calls ${url}`)];
        });
      }),
  );
}

function describeSource(source: Source): string {
  return source.kind === 'pods' ? `pods of ${source.pods.id}` : source.description;
}

function unreachable(ctx: ReachabilityContext, to: PodSet, port: number, from: Source, why: string): Problem {
  const ingressPolicies = isolatingPolicies(ctx.state, to, 'Ingress').map((p) => `NetworkPolicy ${namespaceOf(p)}/${p.metadata.name}`);
  const egressPolicies = from.kind === 'pods' ? isolatingPolicies(ctx.state, from.pods, 'Egress').map((p) => `NetworkPolicy ${namespaceOf(p)}/${p.metadata.name}`) : [];
  const blockers = [...ingressPolicies.map((p) => `${p} (ingress of ${to.id})`), ...egressPolicies.map((p) => `${p} (egress of ${from.kind === 'pods' ? from.pods.id : ''})`)];
  const policy = [...isolatingPolicies(ctx.state, to, 'Ingress'), ...(from.kind === 'pods' ? isolatingPolicies(ctx.state, from.pods, 'Egress') : [])][0];
  return error(
    UNREACHABLE,
    placeOf(ctx.cluster, policy ?? to.source, policy ? 'spec' : undefined),
    `${why}, but ${describeSource(from)} cannot reach ${to.id} (labels ${JSON.stringify(to.labels)}) on port ${port}: no rule of ${blockers.join(', ') || 'the selecting policies'} admits it.`,
    `Make the policy admit this traffic on port ${port}: select the peer by labels its pods really carry (Flagger's primary has \`<name>-primary\` in its selector label; select both, e.g. matchExpressions In [name, name-primary]) and the namespace it runs in.`,
  );
}
