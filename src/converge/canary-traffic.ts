import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, record, str } from '../validate/json';
import type { ClusterState } from './cluster-state';
import { apexName, canaryTarget } from './flagger';
import { chartOf } from './helm-release-pods';
import { analysisMetrics, builtinMetrics, HTTP_OBSERVER_LABELS, metricsChartOf, metricsScrapeTargets, parseHost, PROMETHEUS_POD_LABELS, providerOf } from './metrics';
import { placeOf } from './place';

/**
 * `converge/no-metrics-traffic`: the canary's analysis reads metrics that nothing produces,
 * because no request reaches the place the metrics are measured:
 * - `kubernetes` provider (blue/green): the apex keeps sending every request to the primary until
 *   promotion (pkg/router/kubernetes_default.go), so the canary pods only get requests a load test
 *   sends to `<apex>-canary` (or a Service selecting the canary pods);
 * - `traefik`: Traefik measures the canary's TraefikService only for requests it routes
 *   (pkg/metrics/observers/traefik.go), so a load test must go through Traefik's Service with
 *   the Host of an IngressRoute that routes to the apex;
 * - weighted providers without a load test get live traffic only when the service has a route.
 * `converge/no-metrics`: the metrics are produced but the analysis cannot read them — the
 * pods are never scraped, or the queries filter by labels the Prometheus does not give them.
 */
export const NO_METRICS_TRAFFIC = 'converge/no-metrics-traffic';
export const NO_METRICS = 'converge/no-metrics';

interface LoadTest {
  readonly cmd: string;
  readonly url?: string;
  readonly host?: string;
}

/** `rollout` webhooks sent to flagger-loadtester, with the URL and Host header of their command. */
export function loadTests(canary: KubeObject): LoadTest[] {
  const hooks = list(record(record(canary.spec).analysis).webhooks).filter(isRecord);
  return hooks
    .filter((h) => str(h.type) === 'rollout')
    .map((h) => {
      const cmd = str(record(h.metadata).cmd) ?? '';
      const url = /(https?:\/\/\S+)/.exec(cmd)?.[1];
      // hey: `-host <name>`; curl-style: `-H 'Host: <name>'`.
      const host = /-host\s+['"]?([^\s'"]+)/.exec(cmd)?.[1] ?? /-H\s+['"]Host:\s*([^'"]+)['"]/i.exec(cmd)?.[1];
      return { cmd, url, host };
    });
}

export function checkCanaryTraffic(cluster: string, state: ClusterState): Problem[] {
  return state.ofKind('Canary').flatMap((canary) => (analysisMetrics(canary).length === 0 ? [] : [...trafficProblems(cluster, state, canary), ...readableProblems(cluster, state, canary)]));
}

function trafficProblems(cluster: string, state: ClusterState, canary: KubeObject): Problem[] {
  const provider = providerOf(canary);
  const tests = loadTests(canary);
  const ns = namespaceOf(canary);
  const apex = apexName(canary);
  const place = placeOf(cluster, canary, 'spec.analysis.webhooks');
  const name = `Canary ${ns}/${canary.metadata.name}`;
  if (provider === 'kubernetes') {
    const reachesCanary = tests.some((t) => {
      const host = parseHost(t.url);
      const svc = host ? state.services.get(`${host.namespace ?? ns}/${host.name}`) : undefined;
      const target = canaryTarget(canary, state.find);
      return svc !== undefined && target !== undefined && svc.selector[target.label] === target.value;
    });
    if (reachesCanary) return [];
    return [
      error(
        NO_METRICS_TRAFFIC,
        place,
        `${name} runs blue/green with the kubernetes provider: the apex Service ${apex} sends every request to the primary until promotion, and no load test sends requests to ${apex}-canary, so its analysis finds no values and every release rolls back.`,
        `Add a load test webhook (canary.webhooks.loadTest) that sends requests to http://${apex}-canary.${ns}:<port>/.`,
      ),
    ];
  }
  if (provider === 'traefik') {
    const hosts = traefikHostsFor(state, ns, apex);
    if (tests.length === 0) {
      return hosts.length > 0
        ? []
        : [error(NO_METRICS_TRAFFIC, place, `${name} uses the traefik provider, but no IngressRoute routes to ${apex} and no load test runs: Traefik measures nothing for the canary.`, 'Expose the service through Traefik or add a load test through Traefik.')];
    }
    const throughTraefik = tests.some((t) => {
      const host = parseHost(t.url);
      const viaTraefik = host !== undefined && state.pods.some((p) => p.origin === 'helm-release' && chartOf(p.source) === 'traefik' && p.namespace === host.namespace && p.labels['app.kubernetes.io/instance'] === host.name);
      return viaTraefik && t.host !== undefined && hosts.includes(t.host);
    });
    if (throughTraefik) return [];
    return [
      error(
        NO_METRICS_TRAFFIC,
        place,
        `${name} uses the traefik provider, whose metrics Traefik emits only for requests it routes, but its load test (${tests.map((t) => t.url ?? t.cmd).join(', ')}) ${tests.some((t) => t.url?.includes('-canary')) ? 'calls the canary Service directly, bypassing Traefik' : 'does not go through Traefik with the Host of an IngressRoute that routes to ' + apex}: the analysis finds no values and every release rolls back.`,
        `Send the load test to Traefik's Service with the route's Host header, e.g. hey -host ${hosts[0] ?? '<host>'} https://traefik.traefik/<path>.`,
      ),
    ];
  }
  return [];
}

/** Hosts of IngressRoutes that route to the apex (its TraefikService or Service). */
function traefikHostsFor(state: ClusterState, namespace: string, apex: string): string[] {
  return state
    .ofKind('IngressRoute')
    .filter((r) => namespaceOf(r) === namespace)
    .flatMap((r) => list(record(r.spec).routes).filter(isRecord))
    .filter((route) => list(route.services).some((s) => str(record(s).name) === apex))
    .flatMap((route) => [...(str(route.match) ?? '').matchAll(/Host\(`([^`]+)`\)/g)].map((m) => m[1]));
}

function readableProblems(cluster: string, state: ClusterState, canary: KubeObject): Problem[] {
  const provider = providerOf(canary);
  const name = `Canary ${namespaceOf(canary)}/${canary.metadata.name}`;
  const problems: Problem[] = [];
  for (const { pods, port } of metricsScrapeTargets(state, canary)) {
    if (port !== undefined) continue;
    problems.push(
      error(
        NO_METRICS,
        placeOf(cluster, pods.source, 'spec.template.metadata.annotations'),
        `${name} (provider ${provider}) reads metrics of ${pods.id}, but Prometheus never scrapes those pods (${provider === 'istio' ? 'no Istio sidecar is injected' : 'no prometheus.io/scrape annotation'}).`,
        provider === 'istio' ? 'Inject the Istio sidecar (namespace label istio-injection=enabled).' : 'Annotate the pod template with prometheus.io/scrape: "true" and prometheus.io/port.',
      ),
    );
  }
  const chart = metricsChartOf(state, canary);
  const produced = chart ? PROMETHEUS_POD_LABELS[chart] : undefined;
  if ((provider === 'kubernetes' || provider.startsWith('gatewayapi')) && produced && builtinMetrics(canary).length > 0) {
    const missing = HTTP_OBSERVER_LABELS.filter((l) => !produced.includes(l));
    if (missing.length > 0) {
      problems.push(
        error(
          NO_METRICS,
          placeOf(cluster, canary, 'spec.analysis.metrics'),
          `${name} uses Flagger's built-in ${builtinMetrics(canary).join(' and ')} for provider ${provider}, whose queries filter by ${missing.join(', ')}, labels the cluster's ${chart} chart does not give pod metrics (it gives ${produced.join(', ')}): every query returns no values.`,
          `Use MetricTemplates whose queries filter by ${produced.join(' and ')} (templateRef), or relabel the Prometheus scrape job to add ${missing.join(', ')}.`,
        ),
      );
    }
  }
  return problems;
}
