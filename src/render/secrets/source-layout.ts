import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where secret values live: one SOPS-encrypted Kubernetes Secret per file,
 *
 *   secrets/<environment>/<secret>.sops.yaml
 *
 * encrypted for the environment's age recipients by the `.sops.yaml` creation rule matching
 * that path. The file name is the secret's name in every cluster of the environment; the
 * namespace is never in the file: each cluster gets a copy in every namespace whose services
 * use it (see secret-references.ts).
 */
export const SECRETS_DIR = 'secrets';
export const SOURCE_SUFFIX = '.sops.yaml';

/** DNS-1123 subdomain: what Kubernetes accepts as a Secret name. */
export const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
/** A Secret data key: letters, digits, `-`, `_`, `.`. */
export const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
/** An environment directory name. */
export const ENVIRONMENT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** `secrets/staging/mysql.sops.yaml`, relative to the project root. */
export function secretSourcePath(environment: string, secret: string): string {
  return `${SECRETS_DIR}/${environment}/${secret}${SOURCE_SUFFIX}`;
}

/** Names of the secrets an environment has, sorted; none when its directory does not exist. */
export function listSecretSources(root: string, environment: string): string[] {
  try {
    return readdirSync(join(root, SECRETS_DIR, environment))
      .filter((file) => file.endsWith(SOURCE_SUFFIX))
      .map((file) => file.slice(0, -SOURCE_SUFFIX.length))
      .sort();
  } catch {
    return [];
  }
}

/** Environment directories under secrets/ (everything but `clusters/` and `keys/`), sorted. */
export function listSecretEnvironments(root: string): string[] {
  try {
    return readdirSync(join(root, SECRETS_DIR), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'clusters' && entry.name !== 'keys')
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}
