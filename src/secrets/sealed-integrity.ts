/**
 * Integrity of committed SealedSecrets. Anyone holding a cluster's public certificate can seal a
 * value, so a pull request could swap one key's `encryptedData` and keep every annotation: synth
 * would reuse it (its source digest still matches) and the controller would unseal the injected
 * value. Three defences, each where the information exists:
 *
 * - with the SOPS key (whoever edits secrets): `fleet.gitops.dev/sealed-macs` records, per key,
 *   HMAC-SHA256(HKDF-SHA256(SOPS data key, info "sealed-ciphertext"), `<namespace>/<name>/<key>\0
 *   <sealed ciphertext>`). Only a holder of the data key can make one, so a reused ciphertext
 *   whose MAC does not verify is sealed again (sealed-secrets.ts);
 * - without a key (CI): a ciphertext that changed while its source digest, certificate and scope
 *   did not is exactly what synth never produces (it seals anew only when the source changed), so
 *   `swappedCiphertexts` flags it — in `npm run check` against the base revision and as a
 *   high-risk change in the semantic diff;
 * - the template's metadata (type, labels, annotations) comes from the source's plaintext
 *   fields, which only the SOPS MAC protects: without a key a changed template is not trusted.
 */
import { createHmac, hkdfSync } from 'crypto';
import type { KubeObject } from '../model/kube-object';

export const SEALED_MACS_ANNOTATION = 'fleet.gitops.dev/sealed-macs';
const SEALED_WITH = 'fleet.gitops.dev/sealed-with';
const SOURCE_DIGESTS = 'fleet.gitops.dev/source-digests';
const SCOPE_ANNOTATIONS = ['sealedsecrets.bitnami.com/namespace-wide', 'sealedsecrets.bitnami.com/cluster-wide'];

/** HKDF info of the MAC key: ties the derived key to this one use of the data key. */
const MAC_INFO = 'sealed-ciphertext';

/** Keyed MAC of one sealed value; needs the SOPS data key to compute or to check. */
export function sealedMac(dataKey: Uint8Array, namespace: string, name: string, key: string, sealed: string): string {
  const macKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), MAC_INFO, 32));
  return `hmac-sha256:${createHmac('sha256', macKey).update(`${namespace}/${name}/${key}\0${sealed}`).digest('hex')}`;
}

/** A JSON map annotation (`{"key": "…"}`); empty when absent or malformed. */
export function annotationMap(object: KubeObject | undefined, annotation: string): Readonly<Record<string, string>> {
  return parseStringMap(object?.metadata.annotations?.[annotation]);
}

/** A JSON object of strings (the generator's map annotations); empty when absent or malformed. */
export function parseStringMap(text: string | undefined): Readonly<Record<string, string>> {
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));
  } catch {
    return {};
  }
}

function encryptedData(object: KubeObject): Readonly<Record<string, unknown>> {
  return ((object.spec as { encryptedData?: Record<string, unknown> } | undefined)?.encryptedData ?? {}) as Record<string, unknown>;
}

function scope(object: KubeObject): string {
  return SCOPE_ANNOTATIONS.filter((a) => object.metadata.annotations?.[a] === 'true').join(',');
}

/**
 * Keys whose sealed ciphertext differs between two versions of one SealedSecret although what
 * it was sealed from did not change: same source digest for the key, same certificate, same scope.
 */
export function swappedCiphertexts(before: KubeObject, after: KubeObject): string[] {
  if (before.kind !== 'SealedSecret' || after.kind !== 'SealedSecret') return [];
  if (before.metadata.annotations?.[SEALED_WITH] !== after.metadata.annotations?.[SEALED_WITH] || scope(before) !== scope(after)) return [];
  const oldDigests = annotationMap(before, SOURCE_DIGESTS);
  const newDigests = annotationMap(after, SOURCE_DIGESTS);
  const old = encryptedData(before);
  return Object.entries(encryptedData(after))
    .filter(([key, sealed]) => key in old && old[key] !== sealed && oldDigests[key] !== undefined && oldDigests[key] === newDigests[key])
    .map(([key]) => key)
    .sort();
}

/** Canonical JSON of a SealedSecret's template (what becomes the Secret's metadata and type). */
export function templateText(object: KubeObject | undefined): string {
  const template = (object?.spec as { template?: unknown } | undefined)?.template ?? {};
  return JSON.stringify(template, (_k, v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
