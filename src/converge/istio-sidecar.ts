import type { Labels, PodPort } from './cluster-state';

/**
 * Whether Istio's sidecar injector (istio/istio 1.30, manifests/charts/istio-control/istio-discovery
 * templates/mutatingwebhook.yaml) injects a pod, and what the injected pod then has.
 *
 * - Injected when the namespace has `istio-injection=enabled` (or an `istio.io/rev` label) and the
 *   pod does not opt out with the label `sidecar.istio.io/inject=false`; or when the pod opts in
 *   with `sidecar.istio.io/inject=true` in a namespace that is not `istio-injection=disabled`.
 * - The sidecar's ports (files/injection-template.yaml): 15090 `http-envoy-prom` (Envoy's own
 *   metrics), 15021 (health), 15020 (pilot-agent's merged metrics).
 * - With metrics merging (meshConfig.enablePrometheusMerge, default true) the injector rewrites
 *   the pod's `prometheus.io/*` annotations to scrape 15020 at /stats/prometheus, where the
 *   agent serves Envoy's `istio_*` metrics merged with the application's
 *   (pkg/kube/inject/inject.go applyPrometheusMerge; https://istio.io/latest/docs/ops/integrations/prometheus/#option-1-metrics-merging).
 */

export const MERGED_METRICS_PORT = 15020;
export const ENVOY_METRICS_PORT = 15090;
export const SIDECAR_HEALTH_PORT = 15021;

export interface Sidecar {
  readonly ports: readonly PodPort[];
  readonly annotations: Labels;
}

export function isInjected(podLabels: Labels, namespaceLabels: Labels): boolean {
  const namespaceInjection = namespaceLabels['istio-injection'];
  const podInjection = podLabels['sidecar.istio.io/inject'];
  if (namespaceInjection === 'disabled') return false;
  if (namespaceInjection === 'enabled' || namespaceLabels['istio.io/rev'] !== undefined) return podInjection !== 'false';
  return podInjection === 'true';
}

export function sidecarOf(podLabels: Labels, podAnnotations: Labels, namespaceLabels: Labels): Sidecar | undefined {
  if (!isInjected(podLabels, namespaceLabels)) return undefined;
  return {
    ports: [
      { port: ENVOY_METRICS_PORT, name: 'http-envoy-prom', protocol: 'TCP' },
      { port: SIDECAR_HEALTH_PORT, name: 'health', protocol: 'TCP' },
      { port: MERGED_METRICS_PORT, protocol: 'TCP' },
    ],
    annotations:
      podAnnotations['prometheus.istio.io/merge-metrics'] === 'false'
        ? {}
        : { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(MERGED_METRICS_PORT), 'prometheus.io/path': '/stats/prometheus' },
  };
}
