import { IMAGE_POLICY_NAMESPACE, imagePolicyName } from '../model/release-lock-types';

/**
 * Flux image-automation setter markers: the line comment `# {"$imagepolicy": "<ns>:<policy>:tag"}`
 * after a lock entry tells image-automation-controller to replace that value with the tag the
 * ImagePolicy selects. The `:tag` field is what makes a bare version (not `repo:tag`) the
 * replacement; without it Flux would write the whole image reference into the lock.
 *
 * @see https://fluxcd.io/flux/guides/image-update/#configure-image-update-for-custom-resources
 */

/** Which part of the selected image Flux writes: the whole reference, or one field of it. */
export type MarkerField = 'image' | 'tag' | 'name' | 'digest';

export interface ImagePolicyMarker {
  readonly namespace: string;
  readonly name: string;
  readonly field: MarkerField;
}

const MARKER = /^\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]*)"\s*\}\s*$/;

/** The marker text (without `#`) a lock entry for `service` in `environment` carries. */
export function markerComment(environment: string, service: string): string {
  return ` {"$imagepolicy": "${IMAGE_POLICY_NAMESPACE}:${imagePolicyName(environment, service)}:tag"}`;
}

/** Reads a line comment as a marker; undefined when the comment is something else. */
export function parseMarker(comment: string | null | undefined): ImagePolicyMarker | undefined {
  const match = comment ? MARKER.exec(comment) : null;
  if (!match) return undefined;
  const [namespace, name, field, ...rest] = match[1].split(':');
  if (!namespace || !name || rest.length > 0) return undefined;
  if (field === undefined) return { namespace, name, field: 'image' };
  return field === 'tag' || field === 'name' || field === 'digest' ? { namespace, name, field } : undefined;
}

/** `flux-system:development-flights:tag`, as written inside the marker. */
export function formatMarker(marker: ImagePolicyMarker): string {
  return `${marker.namespace}:${marker.name}${marker.field === 'image' ? '' : `:${marker.field}`}`;
}
