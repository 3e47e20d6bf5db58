import { imageReferenceErrors, mountPathErrors, normalizeMountPath } from '../../model/kubernetes-rules';
import { error, type Problem } from '../../model/problem';
import { childPath } from '../field-path';
import { isRecord, list, str } from '../json';
import type { ValidationContext } from '../validation-context';
import { containersOf } from '../workloads';

/**
 * `api/invalid-image`: every container image is a reference the kubelet can parse
 * (distribution/reference; anything else is InvalidImageName and the pod never starts).
 * `api/invalid-mount-path`: every volume mount's mountPath is absolute, not `/`, without `..`,
 * and unique in its container (the API server rejects repeats: "must be unique").
 */
export function checkContainers(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates.flatMap((template) =>
    containersOf(template).flatMap((ref) => {
      const owner = template.owner;
      const problems: Problem[] = [];
      const image = str(ref.container.image) ?? '';
      const imageErrors = imageReferenceErrors(image);
      if (imageErrors.length > 0) {
        problems.push(error('api/invalid-image', ctx.placeOf(owner, `${ref.path}.image`), `Container "${ref.name}" of ${owner.kind} ${owner.metadata.name} has image ${JSON.stringify(image)}, which ${imageErrors.join('; ')}; the kubelet refuses it (InvalidImageName).`, 'Write a lower-case reference such as "ghcr.io/team/app:1.2.3".'));
      }
      const seen = new Set<string>();
      list(ref.container.volumeMounts).forEach((mount, i) => {
        const path = isRecord(mount) ? (str(mount.mountPath) ?? '') : '';
        const errors = mountPathErrors(path);
        const normalized = normalizeMountPath(path);
        if (errors.length === 0 && seen.has(normalized)) errors.push('is already mounted in this container (mountPath must be unique)');
        seen.add(normalized);
        if (errors.length > 0) {
          problems.push(error('api/invalid-mount-path', ctx.placeOf(owner, childPath(ref.path, 'volumeMounts', i, 'mountPath')), `Container "${ref.name}" of ${owner.kind} ${owner.metadata.name} mounts at ${JSON.stringify(path)}, which ${errors.join('; ')}.`, 'Mount each volume into a directory of its own, e.g. /etc/<app>/config.'));
        }
      });
      return problems;
    }),
  );
}
