import { record, stringMap } from '../validate/json';
import type { ClusterState, PodSet } from './cluster-state';

/**
 * Linkerd's proxy injection and the metrics Flagger's linkerd provider reads from the proxy.
 *
 * - The proxy injector (linkerd/linkerd2 controller/proxy-injector; linkerd.io docs
 *   features/proxy-injection) injects a pod when its `linkerd.io/inject` annotation is `enabled`
 *   or `ingress`, or when the pod says nothing and its namespace's annotation says so; a pod's
 *   `disabled` wins over the namespace.
 * - The injected proxy serves Prometheus metrics on its admin port 4191 (`linkerd-admin`) and
 *   labels the pod `linkerd.io/proxy-deployment: <deployment>` (charts/partials/templates/_metadata.tpl).
 * - Linkerd Viz's Prometheus (job `linkerd-proxy`, viz/charts/linkerd-viz/templates/prometheus.yaml)
 *   scrapes that port and relabels the pod label to `deployment`, the label Flagger's queries
 *   filter by (`response_total{namespace, deployment, direction="inbound"}`, fluxcd/flagger v1.44.0
 *   pkg/metrics/observers/linkerd.go). The inbound proxy counts every request the pod receives.
 */
export const LINKERD_ADMIN_PORT = 4191;
export const LINKERD_INJECT = 'linkerd.io/inject';
/** Namespace of Linkerd Viz, whose Prometheus Flagger's Linkerd guide uses (`http://prometheus.linkerd-viz:9090`). */
export const LINKERD_VIZ_NAMESPACE = 'linkerd-viz';

/** Annotations of a rendered Namespace (Linkerd reads the namespace's annotation, not a label). */
export function namespaceAnnotations(state: ClusterState, namespace: string): Readonly<Record<string, string>> {
  const ns = state.ofKind('Namespace').find((n) => n.metadata.name === namespace);
  return stringMap(record(ns?.metadata).annotations);
}

/** Whether Linkerd's proxy injector gives these pods a proxy. */
export function linkerdInjected(state: ClusterState, pods: PodSet): boolean {
  const decision = pods.annotations[LINKERD_INJECT] ?? namespaceAnnotations(state, pods.namespace)[LINKERD_INJECT];
  return decision === 'enabled' || decision === 'ingress';
}
