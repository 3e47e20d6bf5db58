import { UNREACHABLE } from './reachability';
import { UNPROTECTED_PRIMARY } from './disruption-budgets';
import { UNDELIVERED } from './delivery';
import { UNHEALTHY_WAIT } from './wait-health';
import { UNPUBLISHED_CHART } from './chart-sources';
import { NO_METRICS, NO_METRICS_TRAFFIC } from './canary-traffic';
import { PLATFORM_NAMESPACE } from './ownership';
import { DRAIN_BLOCKED } from './drain';
import { REPLICAS_CONFLICT } from './autoscaling';

/** Every problem code the converge layer reports, with the property it checks. */
export const CONVERGE_RULES: Readonly<Record<string, string>> = {
  [UNREACHABLE]: 'Reachability: callers, the ingress data plane and the metrics source reach the pods that will serve (primaries and canaries included) under every NetworkPolicy.',
  [UNPROTECTED_PRIMARY]: "Reachability: a PodDisruptionBudget that protects a Canary's target also protects the primary Flagger creates.",
  [DRAIN_BLOCKED]: 'Availability: a PodDisruptionBudget allows at least one eviction when the pods it selects run at their minimum replicas (HPA minReplicas, Flagger\'s primary HPA copy, spec.replicas).',
  [REPLICAS_CONFLICT]: 'Readiness: one owner per replica count: no spec.replicas next to an HPA, one HPA per workload, and a Canary whose target an HPA scales names it in autoscalerRef.',
  [UNDELIVERED]: 'Delivery: every Secret/ConfigMap a pod, route or gateway references is delivered by the same or an earlier Flux Kustomization, the same Argo CD Application in the same or an earlier sync wave, or an automated sibling Application of an earlier wave, or provided by the platform.',
  [UNHEALTHY_WAIT]: "Readiness: a Kustomization with wait: true can evaluate the health of every kind it applies; an Argo CD parent whose children have sync waves assesses Application health.",
  [UNPUBLISHED_CHART]: "Readiness: every chart comes from a location its maintainers publish it to.",
  [NO_METRICS_TRAFFIC]: 'Readiness: every canary has a traffic source that produces the metrics its analysis reads.',
  [NO_METRICS]: 'Readiness: the metrics a canary analysis reads are scraped, with the labels its queries filter by.',
  [PLATFORM_NAMESPACE]: 'Ownership: no generated object owns a platform namespace (flux-system, kube-system, kube-public, kube-node-lease, default).',
};
