import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import type { ClusterState } from './cluster-state';
import type { CallEdge } from './converge-input';
import { LINKERD_VIZ_NAMESPACE } from './linkerd-proxy';
import { analysisMetrics, builtinMetrics, HTTP_OBSERVER_LABELS, metricsChartOf, metricsScrapeTargets, PROMETHEUS_POD_LABELS, providerOf } from './metrics';
import { placeOf } from './place';
import { NO_METRICS_TRAFFIC, providerFamily, trafficProblems } from './traffic-sources';

/**
 * Every canary has a traffic source that produces the metrics its analysis reads:
 * `converge/no-metrics-traffic` (src/converge/traffic-sources.ts): no request reaches the place
 * the provider measures; `converge/no-metrics`: the metrics are produced but the analysis cannot
 * read them — the pods are never scraped, or the queries filter by labels the Prometheus does
 * not give them.
 */
export { NO_METRICS_TRAFFIC };
export const NO_METRICS = 'converge/no-metrics';

export function checkCanaryTraffic(cluster: string, state: ClusterState, calls: readonly CallEdge[] = []): Problem[] {
  return state.ofKind('Canary').flatMap((canary) => {
    if (analysisMetrics(canary).length === 0) return [];
    const provider = providerOf(canary);
    return [...trafficProblems({ cluster, state, canary, provider, calls }), ...readableProblems(cluster, state, canary)];
  });
}

/** Why Prometheus does not scrape pods, and the fix, per provider. */
const UNSCRAPED: Readonly<Record<string, { readonly why: string; readonly fix: string }>> = {
  istio: { why: 'no Istio sidecar is injected', fix: 'Inject the Istio sidecar (namespace label istio-injection=enabled).' },
  linkerd: { why: 'no Linkerd proxy is injected, and the proxy reports response_total', fix: 'Inject the Linkerd proxy (annotation linkerd.io/inject: enabled on the namespace or the pod template).' },
};
const UNANNOTATED = { why: 'no prometheus.io/scrape annotation', fix: 'Annotate the pod template with prometheus.io/scrape: "true" and prometheus.io/port.' };

function readableProblems(cluster: string, state: ClusterState, canary: KubeObject): Problem[] {
  const provider = providerOf(canary);
  const family = providerFamily(provider);
  const name = `Canary ${namespaceOf(canary)}/${canary.metadata.name}`;
  const problems: Problem[] = [];
  for (const { pods, port } of metricsScrapeTargets(state, canary)) {
    if (port !== undefined) continue;
    const { why, fix } = UNSCRAPED[family] ?? UNANNOTATED;
    problems.push(error(NO_METRICS, placeOf(cluster, pods.source, 'spec.template.metadata.annotations'), `${name} (provider ${provider}) reads metrics of ${pods.id}, but Prometheus never scrapes those pods (${why}).`, fix));
  }
  const chart = metricsChartOf(state, canary);
  const produced = chart ? PROMETHEUS_POD_LABELS[chart] : undefined;
  const builtins = builtinMetrics(canary);
  if ((family === 'kubernetes' || family === 'gatewayapi') && produced && builtins.length > 0) {
    const missing = HTTP_OBSERVER_LABELS.filter((l) => !produced.includes(l));
    if (missing.length > 0) {
      problems.push(
        error(
          NO_METRICS,
          placeOf(cluster, canary, 'spec.analysis.metrics'),
          `${name} uses Flagger's built-in ${builtins.join(' and ')} for provider ${provider}, whose queries filter by ${missing.join(', ')}, labels the cluster's ${chart} chart does not give pod metrics (it gives ${produced.join(', ')}): every query returns no values.`,
          `Use MetricTemplates whose queries filter by ${produced.join(' and ')} (templateRef), or relabel the Prometheus scrape job to add ${missing.join(', ')}.`,
        ),
      );
    }
  }
  if (family === 'linkerd' && chart && builtins.length > 0) {
    // The chart's kubernetes-pods job scrapes only annotated pods on their prometheus.io/port and
    // maps pod labels as they are (linkerd_io_proxy_deployment), never to `deployment`.
    problems.push(
      error(
        NO_METRICS,
        placeOf(cluster, canary, 'spec.metricsServer'),
        `${name} uses Flagger's built-in ${builtins.join(' and ')} for provider linkerd, which read the Linkerd proxies' response_total by the label deployment, but its metrics server is the cluster's ${chart} chart, whose kubernetes-pods job neither scrapes the proxy's admin port 4191 nor gives a deployment label: every query returns no values.`,
        `Point the cluster's metrics at Linkerd Viz's Prometheus (progressiveDelivery.metrics: { prometheus: 'http://prometheus.${LINKERD_VIZ_NAMESPACE}:9090' }), which scrapes the proxies with that label.`,
      ),
    );
  }
  return problems;
}
