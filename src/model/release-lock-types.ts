/**
 * The release lock: which image version every service runs in every environment, kept in a small
 * YAML file (src/environments/releases.yaml) instead of TypeScript so app pipelines, bots and
 * Flux image automation can change it without touching code. This file holds only the shape and
 * the naming conventions the model, the charts and the lock editor share; reading and editing the
 * file (comments and `$imagepolicy` markers intact) is src/delivery/release-lock.ts.
 */

/** Environment name → service name → image tag or `sha256:` digest. */
export type ReleaseLock = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Path of the lock file, relative to the project root (and to the Git repository Flux updates). */
export const RELEASE_LOCK_FILE = 'src/environments/releases.yaml';

/** Namespace of the ImagePolicies whose markers the lock carries (where Flux runs). */
export const IMAGE_POLICY_NAMESPACE = 'flux-system';

// Docker's tag grammar (so `MAJOR.MINOR.<git sha>` such as `1.4.3f9c2e1` is a tag), or a digest.
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** True for an image tag (`1.4.2`, `v1.0`, `1.5.3f9c2e1`) or a `sha256:<64 hex>` digest. */
export function isImageVersion(version: string): boolean {
  return TAG.test(version) || DIGEST.test(version);
}

/**
 * Name of the ImagePolicy that may bump `service` in `environment`. Qualified by environment
 * because every cluster's image automation walks the same lock file: a bare service name would
 * let the development cluster's automation rewrite the production entry too.
 */
export function imagePolicyName(environment: string, service: string): string {
  return `${environment}-${service}`;
}
