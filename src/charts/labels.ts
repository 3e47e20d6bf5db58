/**
 * Label and annotation keys the generator writes. One plain selector label per workload
 * (`app.kubernetes.io/name`) instead of cdk8s-plus's construct-path hash: Deployment selectors
 * are immutable, so a selector must never change when a construct is renamed.
 */
export const NAME_LABEL = 'app.kubernetes.io/name';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'fleet-synth';

/** Annotation prefix for the generator's own metadata. */
export const ANNOTATION_PREFIX = 'fleet.gitops.dev';
/** The TypeScript file that defines the object's service, for error messages after rendering. */
export const DEFINITION_ANNOTATION = `${ANNOTATION_PREFIX}/definition`;
/** Hash of mounted configuration, so a config change rolls the pods. */
export const CONFIG_HASH_ANNOTATION = `${ANNOTATION_PREFIX}/config-hash`;

export function selectorLabels(service: string): Record<string, string> {
  return { [NAME_LABEL]: service };
}

/**
 * A LabelSelector for the pods that serve a service. With Flagger on the cluster they are the
 * target's pods and the primary's, whose selector label Flagger rewrites to `<name>-primary`
 * (fluxcd/flagger v1.44.0 pkg/canary/util.go makePrimaryLabels): NetworkPolicies and
 * PodDisruptionBudgets select both, or they miss the pods that actually serve.
 */
export function servingPodSelector(service: string, flagger: boolean): { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] } {
  if (!flagger) return { matchLabels: selectorLabels(service) };
  return { matchExpressions: [{ key: NAME_LABEL, operator: 'In', values: [service, `${service}-primary`] }] };
}

/** Labels every object of a service carries. */
export function serviceLabels(service: string, system: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...extra, [NAME_LABEL]: service, [PART_OF_LABEL]: system, [MANAGED_BY_LABEL]: MANAGED_BY };
}
