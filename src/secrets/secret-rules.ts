/**
 * What the API server accepts in a Secret, for every place a Secret's content is decided: the
 * `secrets set` command, the SOPS sources synth reads, and the rendered objects validation sees.
 * Source: kubernetes/kubernetes v1.31 pkg/apis/core/validation/validation.go `ValidateSecret`
 * (keys are IsConfigMapKey, values total at most core.MaxSecretSize, type-specific keys) and the
 * kubelet's credentialprovider (a `.dockerconfigjson` is `{"auths": {...}}`).
 */
import { configMapKeyErrors, MAX_SECRET_SIZE } from '../model/kubernetes-rules';

export { MAX_SECRET_SIZE };

export const OPAQUE_TYPE = 'Opaque';
export const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';

/** Keys each built-in type must have (`all`), or at least one of (`any`). */
const TYPE_KEYS: Readonly<Record<string, { readonly all?: readonly string[]; readonly any?: readonly string[] }>> = {
  [OPAQUE_TYPE]: {},
  [DOCKER_CONFIG_JSON]: { all: ['.dockerconfigjson'] },
  'kubernetes.io/dockercfg': { all: ['.dockercfg'] },
  'kubernetes.io/basic-auth': { any: ['username', 'password'] },
  'kubernetes.io/ssh-auth': { all: ['ssh-privatekey'] },
  'kubernetes.io/tls': { all: ['tls.crt', 'tls.key'] },
};

/**
 * Types `npm run secrets -- set --type` creates. Service-account tokens and bootstrap tokens are
 * made by controllers, not committed.
 */
export const SETTABLE_SECRET_TYPES: readonly string[] = Object.keys(TYPE_KEYS);

/** Why a Secret key is rejected (IsConfigMapKey), empty when accepted. */
export function secretKeyErrors(key: string): string[] {
  return configMapKeyErrors(key);
}

/** Keys a Secret of this type lacks; nothing for types without required keys. */
export function missingTypeKeys(type: string | undefined, keys: readonly string[]): string[] {
  const rule = TYPE_KEYS[type ?? OPAQUE_TYPE];
  if (!rule) return [];
  const missing = (rule.all ?? []).filter((key) => !keys.includes(key));
  if (rule.any && !rule.any.some((key) => keys.includes(key))) missing.push(rule.any.join(' or '));
  return missing;
}

/** Why a value of this type and key is rejected (registry credentials must parse), empty when accepted. */
export function secretValueErrors(type: string | undefined, key: string, value: Uint8Array): string[] {
  if (!((type === DOCKER_CONFIG_JSON && key === '.dockerconfigjson') || (type === 'kubernetes.io/dockercfg' && key === '.dockercfg'))) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value).toString('utf8'));
  } catch {
    return ['is not JSON'];
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(parsed)) return ['is not a JSON object'];
  if (key === '.dockerconfigjson' && !isObject(parsed.auths)) return ['has no "auths" object (the kubelet reads registry credentials from {"auths": {"<registry>": {...}}})'];
  return [];
}

/** Why the total size is rejected: the API server sums the decoded bytes of every value. */
export function secretSizeErrors(totalBytes: number): string[] {
  return totalBytes > MAX_SECRET_SIZE ? [`holds ${totalBytes} bytes of data, more than the ${MAX_SECRET_SIZE} bytes (1 MiB) a Secret may hold`] : [];
}
