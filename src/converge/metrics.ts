import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { record, str } from '../validate/json';
import { podSet, type ClusterState, type PodSet } from './cluster-state';
import { canaryTarget } from './flagger';
import { chartOf } from './helm-release-pods';
import { LINKERD_ADMIN_PORT, linkerdInjected } from './linkerd-proxy';
import { podsOfWorkload } from './serving-pods';

/**
 * Where a canary analysis' built-in metrics come from (fluxcd/flagger v1.44.0
 * pkg/metrics/observers): the provider picks the observer (factory.go), whose queries read
 * - istio: `istio_requests_total` reported by the destination's sidecar (istio.go), scraped
 *   from every serving pod's merged-metrics port;
 * - kubernetes and gatewayapi: `http_request_duration_seconds_*` exported by the application
 *   itself, filtered by the labels `kubernetes_namespace` and `kubernetes_pod_name` (http.go);
 * - traefik: `traefik_service_request_duration_seconds_bucket` for the canary's TraefikService
 *   weight, emitted by Traefik's pods for requests that pass through Traefik (traefik.go);
 * - nginx: `nginx_ingress_controller_requests` of the Ingress `ingressRef` names, emitted by the
 *   ingress-nginx controller pods on their metrics port for requests they route (nginx.go);
 * - linkerd: `response_total` / `response_latency_ms_bucket` with `direction="inbound"`, from the
 *   linkerd-proxy of the serving pods, filtered by `namespace` and `deployment` (linkerd.go).
 */

/** Flagger's built-in metric names (pkg/controller/scheduler_metrics.go). */
export const BUILTIN_METRICS: readonly string[] = ['request-success-rate', 'request-duration'];

/** Labels the http observer's queries filter by (pkg/metrics/observers/http.go). */
export const HTTP_OBSERVER_LABELS: readonly string[] = ['kubernetes_namespace', 'kubernetes_pod_name'];

/**
 * Labels the `kubernetes-pods` scrape job of each known Prometheus chart gives pod metrics
 * (prometheus-community/helm-charts charts/prometheus values.yaml, 15.x and later: `namespace`, `pod`).
 */
export const PROMETHEUS_POD_LABELS: Readonly<Record<string, readonly string[]>> = { prometheus: ['namespace', 'pod'] };

export function providerOf(canary: KubeObject): string {
  // Flagger's default mesh provider (-mesh-provider) is istio (cmd/flagger/main.go).
  return str(record(canary.spec).provider) ?? 'istio';
}

/** Names of every metric the analysis reads, built-in or templated. */
export function analysisMetrics(canary: KubeObject): string[] {
  const metrics = (record(record(canary.spec).analysis).metrics ?? []) as unknown[];
  return metrics.map(record).map((m) => str(m.name) ?? '');
}

/** Built-in metrics the analysis reads (those without a templateRef). */
export function builtinMetrics(canary: KubeObject): string[] {
  const metrics = (record(record(canary.spec).analysis).metrics ?? []) as unknown[];
  return metrics.map(record).filter((m) => m.templateRef === undefined && BUILTIN_METRICS.includes(str(m.name) ?? '')).map((m) => str(m.name) as string);
}

export function parseHost(url: string | undefined): { name: string; namespace?: string; port?: number } | undefined {
  const match = /^[a-z]+:\/\/([^/:]+)(?::(\d+))?/.exec(url ?? '');
  if (!match) return undefined;
  const [name, namespace] = match[1].split('.');
  return { name, namespace, port: match[2] ? Number(match[2]) : undefined };
}

/**
 * The Prometheus pods behind the Canary's `metricsServer`: a HelmRelease of a Prometheus chart in
 * the URL's namespace; else, for a Prometheus the platform runs, pods in that namespace with the
 * chart's name label (an assumption stated in the README).
 */
export function metricsSourceOf(state: ClusterState, canary: KubeObject): PodSet[] | undefined {
  const host = parseHost(str(record(canary.spec).metricsServer));
  if (!host?.namespace) return undefined;
  const charted = state.pods.filter((p) => p.origin === 'helm-release' && p.namespace === host.namespace && chartOf(p.source) === 'prometheus');
  if (charted.length > 0) return charted;
  return [
    podSet({
      id: `Prometheus/${host.namespace}/${host.name} (platform)`,
      namespace: host.namespace,
      labels: { 'app.kubernetes.io/name': 'prometheus' },
      annotations: {},
      origin: 'platform',
      source: canary,
      namespaceLabels: state.namespaceLabels(host.namespace),
    }),
  ];
}

/** The chart of the Prometheus a canary reads, when the cluster installs it. */
export function metricsChartOf(state: ClusterState, canary: KubeObject): string | undefined {
  const source = metricsSourceOf(state, canary);
  return source?.find((p) => p.origin === 'helm-release') ? 'prometheus' : undefined;
}

/** Pods whose metrics a canary's built-in analysis reads, and the port Prometheus scrapes on each. */
export function metricsScrapeTargets(state: ClusterState, canary: KubeObject): { pods: PodSet; port?: number }[] {
  const provider = providerOf(canary);
  // The kubernetes and gatewayapi providers read the application's metrics, built-in or through
  // the generator's templates on the same metric; the proxies' metrics only through the built-ins.
  const appMetrics = provider === 'kubernetes' || provider.startsWith('gatewayapi');
  if ((appMetrics ? analysisMetrics(canary) : builtinMetrics(canary)).length === 0) return [];
  if (provider === 'traefik' || provider === 'nginx') {
    const chart = provider === 'traefik' ? 'traefik' : 'ingress-nginx';
    return state.pods.filter((p) => p.origin === 'helm-release' && chartOf(p.source) === chart).map((pods) => ({ pods, port: scrapePort(pods) }));
  }
  if (provider === 'linkerd') {
    // Linkerd Viz's Prometheus scrapes the proxy's admin port of every injected pod (src/converge/linkerd-proxy.ts).
    const target = canaryTarget(canary, state.find);
    if (!target) return [];
    return podsOfWorkload(state, namespaceOf(canary), target.target.metadata.name).map((pods) => ({ pods, port: linkerdInjected(state, pods) ? LINKERD_ADMIN_PORT : undefined }));
  }
  if (provider === 'istio' || provider === 'kubernetes' || provider.startsWith('gatewayapi')) {
    const target = canaryTarget(canary, state.find);
    if (!target) return [];
    return podsOfWorkload(state, namespaceOf(canary), target.target.metadata.name).map((pods) => ({ pods, port: scrapePort(pods) }));
  }
  return [];
}

/** The port the `kubernetes-pods` job scrapes: `prometheus.io/port`, only when `prometheus.io/scrape` is true. */
export function scrapePort(pods: PodSet): number | undefined {
  if (pods.annotations['prometheus.io/scrape'] !== 'true') return undefined;
  const port = Number(pods.annotations['prometheus.io/port']);
  return Number.isInteger(port) && port > 0 ? port : pods.ports[0]?.port;
}
