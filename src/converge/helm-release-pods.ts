import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { record, str, stringMap } from '../validate/json';
import { podSet, type Labels, type PodPort, type PodSet } from './cluster-state';

/**
 * The pods a HelmRelease's chart runs, for the charts whose pods other objects must reach or
 * be reached from (ingress data planes, Prometheus, the load tester). A chart's templates are not
 * rendered here: each known chart's pod labels and ports are taken from its templates at the
 * pinned version (see CHART_PODS). Other charts get the Helm recommended labels only.
 */

interface ChartPods {
  /** Labels of the pods beyond the recommended ones. */
  readonly labels?: (release: string) => Labels;
  readonly ports: readonly PodPort[];
  readonly annotations?: Labels;
  /** Where the chart's values put the pods' labels and annotations (`podLabels`/`podAnnotations` under it). @default - top level */
  readonly valuesKey?: string;
}

const tcp = (port: number, name?: string): PodPort => ({ port, name, protocol: 'TCP' });

export const CHART_PODS: Readonly<Record<string, ChartPods>> = {
  // traefik/traefik-helm-chart v41 templates/_podtemplate.tpl: entry points web 8000, websecure 8443,
  // metrics 9100, with prometheus.io annotations for the metrics port.
  traefik: { ports: [tcp(8000, 'web'), tcp(8443, 'websecure'), tcp(9100, 'metrics')], annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9100' } },
  // istio/istio 1.30 manifests/charts/gateway: labels `app`/`istio` = release name; ports 80→8080, 443→8443.
  gateway: { labels: (release) => ({ app: release, istio: release.replace(/^istio-/, '') }), ports: [tcp(8080, 'http2'), tcp(8443, 'https')] },
  // kubernetes/ingress-nginx chart 4.15: controller pods, http 80, https 443.
  // Metrics on 10254 (`controller.metrics.enabled`, templates/controller-deployment.yaml);
  // pod labels and annotations under `controller` (controller.podLabels, controller.podAnnotations).
  'ingress-nginx': { labels: () => ({ 'app.kubernetes.io/component': 'controller' }), ports: [tcp(80, 'http'), tcp(443, 'https'), tcp(10254, 'metrics')], valuesKey: 'controller' },
  // prometheus-community/helm-charts prometheus 29: server pods, port 9090.
  prometheus: { labels: () => ({ 'app.kubernetes.io/component': 'server' }), ports: [tcp(9090, 'http')] },
  // fluxcd/flagger charts/loadtester: `app: <release>`-style labels, http 8080.
  loadtester: { labels: (release) => ({ app: release }), ports: [tcp(8080, 'http')] },
};

/** The chart a HelmRelease installs: `spec.chart.spec.chart`, or the OCIRepository named by chartRef (named after its chart). */
export function chartOf(release: KubeObject): string | undefined {
  const spec = record(release.spec);
  return str(record(record(spec.chart).spec).chart) ?? str(record(spec.chartRef).name);
}

export function helmReleasePods(release: KubeObject, namespaceLabels: (ns: string) => Labels): PodSet[] {
  const chart = chartOf(release);
  if (!chart) return [];
  const spec = record(release.spec);
  const name = str(spec.releaseName) ?? release.metadata.name;
  const namespace = str(spec.targetNamespace) ?? namespaceOf(release);
  const known = CHART_PODS[chart];
  const values = known?.valuesKey ? record(record(spec.values)[known.valuesKey]) : record(spec.values);
  const labels = {
    'app.kubernetes.io/name': chart,
    'app.kubernetes.io/instance': name,
    ...(known?.labels?.(name) ?? {}),
    ...stringMap(values.podLabels),
  };
  return [
    podSet({
      id: `HelmRelease/${namespace}/${name}`,
      namespace,
      labels,
      annotations: { ...(known?.annotations ?? {}), ...stringMap(values.podAnnotations) },
      origin: 'helm-release',
      source: release,
      namespaceLabels: namespaceLabels(namespace),
      extraPorts: known?.ports ?? [],
    }),
  ];
}
