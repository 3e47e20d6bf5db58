import { error, type Problem } from '../../model/problem';
import { str } from '../json';
import type { ValidationContext } from '../validation-context';
import { containersOf } from '../workloads';

/**
 * `policy/image-tag-pinned`: every image names a tag other than `latest`, or a digest. A floating
 * tag makes a rollback redeploy whatever the tag points at today (kube-linter: latest-tag).
 */
export function checkImageTags(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates.flatMap((template) =>
    containersOf(template).flatMap((ref) => {
      const image = str(ref.container.image);
      if (image === undefined) return [];
      const tag = imageTag(image);
      if (tag.digest || (tag.tag !== undefined && tag.tag !== 'latest')) return [];
      return [
        error(
          'policy/image-tag-pinned',
          ctx.placeOf(template.owner, `${ref.path}.image`),
          `Container "${ref.name}" of ${template.owner.kind} ${template.owner.metadata.name} uses image "${image}" ${tag.tag === 'latest' ? 'tagged latest' : 'without a tag (which means latest)'}; what runs changes without a commit.`,
          `Pin a version tag or a digest, e.g. "${tag.repository}:1.2.3" or "${tag.repository}@sha256:…".`,
        ),
      ];
    }),
  );
}

/** Splits `registry:5000/team/app:1.2@sha256:…` — the registry port is not a tag. */
export function imageTag(image: string): { repository: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  if (colon < 0) return { repository: withoutDigest, digest };
  return { repository: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
}
