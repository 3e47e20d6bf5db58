import { ANNOTATION_PREFIX, MANAGED_BY, MANAGED_BY_LABEL, PART_OF_LABEL } from '../labels';

/**
 * Flux never deletes an object carrying this annotation, even when it disappears from Git.
 * @see https://fluxcd.io/flux/components/kustomize/kustomizations/#prune
 */
export const FLUX_PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
/** Argo CD's equivalent, for clusters rendered with the Argo CD flavour. */
export const ARGOCD_SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';
/** Why an object is protected, so a reviewer (or the person deleting it by hand) reads it. */
export const PRUNE_REASON_ANNOTATION = `${ANNOTATION_PREFIX}/prune-protection`;
/** Helm keeps a chart resource with this annotation on uninstall (used for PVCs and CRDs). */
export const HELM_KEEP_ANNOTATION = { 'helm.sh/resource-policy': 'keep' } as const;

/** Why an object must outlive its removal from the model. */
export interface PruneProtection {
  /** What deleting it would lose, in one sentence. */
  readonly reason: string;
}

/** Labels every infrastructure object carries. */
export const INFRASTRUCTURE_LABELS: Readonly<Record<string, string>> = {
  [MANAGED_BY_LABEL]: MANAGED_BY,
  [PART_OF_LABEL]: 'infrastructure',
};

/**
 * Annotations that keep an object whose deletion loses data (state in a namespace, a PVC,
 * CRDs whose deletion deletes every custom resource): Flux's always, Argo CD's when the
 * cluster also renders Applications.
 */
export function pruneProtectionAnnotations(protection: PruneProtection | undefined, argocd = false): Record<string, string> | undefined {
  if (!protection) return undefined;
  return {
    ...(argocd ? { [ARGOCD_SYNC_OPTIONS_ANNOTATION]: 'Prune=false' } : {}),
    [PRUNE_REASON_ANNOTATION]: protection.reason,
    [FLUX_PRUNE_ANNOTATION]: 'disabled',
  };
}
