/**
 * Bitnami SealedSecrets (bitnami.com/v1alpha1) sealed like `kubeseal` does, with no churn.
 *
 * Sealing is randomized (fresh session key and OAEP seed per value), so sealing the same value
 * twice gives different bytes. A re-render must not rewrite every committed SealedSecret, so
 * sealing reuses the previous object's ciphertext per key when nothing it depends on changed,
 * and records on the SealedSecret's own metadata (never the template, so nothing reaches the
 * Secret) what it was sealed from:
 *
 *   fleet.gitops.dev/sealed-with: sha256:<hex>
 *       SHA-256 of the controller certificate (DER) the values were sealed for.
 *   fleet.gitops.dev/source-digests: {"<key>":"sha256:<hex>", …}
 *       per key, SHA-256 of `<namespace>/<name>/<scope>/<field>/<key>\0<ENC[…] text>`: the
 *       committed SOPS ciphertext, which reveals nothing about the value, and where it is sealed.
 *   fleet.gitops.dev/value-fingerprints: {"<key>":"hmac-sha256:<hex>", …}
 *       per key, HMAC-SHA256(HKDF-SHA256(SOPS data key, info "sealed-secret-reuse"),
 *       `<namespace>/<name>/<key>\0<value>`): only a holder of the SOPS key can compute or check
 *       it, so it reveals nothing either, yet it recognises an unchanged value whose ciphertext
 *       changed (the value was set again to the same thing).
 *
 * A key's previous ciphertext is reused when the certificate fingerprint and the scope are the
 * same AND (its source digest is the same OR (the key is available AND the fingerprint is the
 * same)). Otherwise the value is sealed again, which needs its plaintext: without a key (CI) that
 * is the `secrets/changed-without-key` problem. JSON maps are used because annotation names are
 * limited to 63 characters and Secret keys are not. When every key is reused and the metadata is
 * unchanged, the previous object itself is returned, so the rendered file is byte-identical.
 */
import { createHash, createHmac, hkdfSync } from 'crypto';
import { KubeObject } from '../model/kube-object';
import { error, Place, Problem, warning } from '../model/problem';
import { hybridEncrypt, SealingScope, sealingLabel, unseal } from './hybrid-encryption';
import { ok, Result } from './result';
import { annotationMap, parseStringMap, SEALED_MACS_ANNOTATION, sealedMac, templateText } from './sealed-integrity';
import { SealingCertificate } from './sealing-certificate';
import { SecretEntry, SecretSource } from './secret-source';
import { RandomBytes } from './sops-cipher';

export const SEALED_SECRET_API_VERSION = 'bitnami.com/v1alpha1';
export const SEALED_WITH_ANNOTATION = 'fleet.gitops.dev/sealed-with';
export const SOURCE_DIGESTS_ANNOTATION = 'fleet.gitops.dev/source-digests';
export const VALUE_FINGERPRINTS_ANNOTATION = 'fleet.gitops.dev/value-fingerprints';
/** kubeseal's scope annotations (`SealedSecretNamespaceWideAnnotation` / `…ClusterWideAnnotation`). */
export const NAMESPACE_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/namespace-wide';
export const CLUSTER_WIDE_ANNOTATION = 'sealedsecrets.bitnami.com/cluster-wide';

/** HKDF info of the fingerprint key: ties the derived key to this one use of the data key. */
const FINGERPRINT_INFO = 'sealed-secret-reuse';

/** kubeseal strips these: they would hold a copy of the plaintext Secret. */
const LAST_APPLIED = ['kubectl.kubernetes.io/last-applied-configuration', 'kubecfg.ksonnet.io/last-applied-configuration'];

export interface SealSecretProps {
  /** Name of the SealedSecret and of the Secret it unseals to. */
  readonly name: string;
  readonly namespace: string;
  readonly source: SecretSource;
  /** The target cluster's controller certificate. */
  readonly certificate: SealingCertificate;
  /** @default 'strict' - bound to this namespace and name, like kubeseal */
  readonly scope?: SealingScope;
  /** The SealedSecret committed by the previous render, to reuse unchanged values. @default - none: seal every value */
  readonly previous?: KubeObject;
  /** Source of session keys; injected by tests. @default - crypto.randomBytes */
  readonly randomBytes?: RandomBytes;
  /** Cluster sealed for, named in problems. @default - none */
  readonly cluster?: string;
}

export interface SealedSecretResult {
  /** Undefined when a value could not be sealed. */
  readonly object?: KubeObject;
  readonly problems: readonly Problem[];
}

/** Seals a Secret for a cluster, reusing the previous ciphertext of every unchanged value. */
export function sealSecret(props: SealSecretProps): SealedSecretResult {
  const { name, namespace, source, certificate } = props;
  const scope = props.scope ?? 'strict';
  const previous = previousSealing(props.previous, name, namespace);
  const sameContext = previous !== undefined && previous.sealedWith === certificate.fingerprint && previous.scope === scope;
  const label = sealingLabel(namespace, name, scope);
  const encryptedData: Record<string, string> = {};
  const digests: Record<string, string> = {};
  const fingerprints: Record<string, string> = {};
  const problems: Problem[] = [];

  const macs: Record<string, string> = {};
  const warnings: Problem[] = [];
  const { dataKey } = source;
  for (const entry of source.entries) {
    const digest = sourceDigest(namespace, name, scope, entry);
    const fingerprint = entry.value && dataKey ? valueFingerprint(dataKey, namespace, name, entry.key, entry.value) : undefined;
    const before = sameContext ? previous.entries.get(entry.key) : undefined;
    const unchanged = before !== undefined && (before.digest === digest || (fingerprint !== undefined && before.fingerprint === fingerprint));
    // With the data key, a reused ciphertext must carry the MAC only a key holder can make.
    const verified = before !== undefined && (!dataKey || before.mac === sealedMac(dataKey, namespace, name, entry.key, before.sealed));
    digests[entry.key] = digest;
    if (before && unchanged && verified) {
      encryptedData[entry.key] = before.sealed;
      // A fingerprint or MAC is only carried over while the ciphertext it was computed for is unchanged.
      const kept = fingerprint ?? (before.digest === digest ? before.fingerprint : undefined);
      if (kept) fingerprints[entry.key] = kept;
      if (before.mac) macs[entry.key] = before.mac;
    } else if (entry.value && dataKey) {
      if (before && unchanged && previous?.hasMacs) warnings.push(unverifiedCiphertext(props, entry));
      const sealed = hybridEncrypt(certificate.publicKey, entry.value, label, props.randomBytes).toString('base64');
      encryptedData[entry.key] = sealed;
      if (fingerprint) fingerprints[entry.key] = fingerprint;
      macs[entry.key] = sealedMac(dataKey, namespace, name, entry.key, sealed);
    } else {
      problems.push(changedWithoutKey(props, entry, reason(previous, sameContext, certificate, scope)));
    }
  }
  if (problems.length > 0) return { problems };

  const object = sealedSecretObject(props, scope, encryptedData, {
    [SEALED_WITH_ANNOTATION]: certificate.fingerprint,
    [SOURCE_DIGESTS_ANNOTATION]: canonicalJson(digests),
    ...(Object.keys(fingerprints).length > 0 ? { [VALUE_FINGERPRINTS_ANNOTATION]: canonicalJson(fingerprints) } : {}),
    ...(Object.keys(macs).length > 0 ? { [SEALED_MACS_ANNOTATION]: canonicalJson(macs) } : {}),
  });
  // The template's type, labels and annotations come from plain fields of the source that only
  // its SOPS MAC protects: without a key a changed template is a changed source.
  if (props.previous && !dataKey && templateText(props.previous) !== templateText(object)) return { problems: [changedMetadataWithoutKey(props)] };
  const same = props.previous !== undefined && canonicalJson(props.previous) === canonicalJson(object);
  return { object: same ? props.previous : object, problems: warnings };
}

/**
 * Unseals every value of a SealedSecret with the controller's private key, the way the
 * controller does: the label comes from the SealedSecret's own name, namespace and scope
 * annotations.
 */
export function unsealSecret(object: KubeObject, privateKeyPem: string): Result<Readonly<Record<string, Buffer>>> {
  const { name, namespace = '' } = object.metadata;
  const label = sealingLabel(namespace, name, scopeOf(object.metadata.annotations));
  const encrypted = ((object.spec as { encryptedData?: Record<string, string> } | undefined)?.encryptedData ?? {}) as Record<string, string>;
  const values: Record<string, Buffer> = {};
  for (const [key, blob] of Object.entries(encrypted)) {
    const plain = unseal(blob, privateKeyPem, label, { namespace, object: `SealedSecret/${namespace}/${name}`, field: `spec.encryptedData.${key}` });
    if (!plain.ok) return plain;
    values[key] = plain.value;
  }
  return ok(values);
}

/** The scope kubeseal reads from annotations (cluster-wide wins, like `SecretScope`). */
export function scopeOf(annotations: Readonly<Record<string, string>> | undefined): SealingScope {
  if (annotations?.[CLUSTER_WIDE_ANNOTATION] === 'true') return 'cluster-wide';
  if (annotations?.[NAMESPACE_WIDE_ANNOTATION] === 'true') return 'namespace-wide';
  return 'strict';
}

/** `sha256:` digest of a committed ciphertext and where it is sealed. */
export function sourceDigest(namespace: string, name: string, scope: SealingScope, entry: Pick<SecretEntry, 'field' | 'key' | 'ciphertext'>): string {
  const hash = createHash('sha256').update(`${namespace}/${name}/${scope}/${entry.field}/${entry.key}\0${entry.ciphertext}`);
  return `sha256:${hash.digest('hex')}`;
}

/** Keyed fingerprint of a value; needs the SOPS data key to compute or to check. */
export function valueFingerprint(dataKey: Uint8Array, namespace: string, name: string, key: string, value: Uint8Array): string {
  const macKey = Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), FINGERPRINT_INFO, 32));
  const hmac = createHmac('sha256', macKey).update(`${namespace}/${name}/${key}\0`).update(value);
  return `hmac-sha256:${hmac.digest('hex')}`;
}

interface PreviousSealing {
  readonly sealedWith?: string;
  readonly scope: SealingScope;
  readonly entries: ReadonlyMap<string, { readonly sealed: string; readonly digest?: string; readonly fingerprint?: string; readonly mac?: string }>;
  /** The object carries sealed MACs (sealed by a fleet that makes them), so a missing one is suspicious. */
  readonly hasMacs: boolean;
}

/** What the previous SealedSecret was sealed from; undefined when it is not this object. */
function previousSealing(previous: KubeObject | undefined, name: string, namespace: string): PreviousSealing | undefined {
  if (!previous || previous.kind !== 'SealedSecret' || previous.metadata.name !== name || previous.metadata.namespace !== namespace) return undefined;
  const annotations = previous.metadata.annotations ?? {};
  const digests = parseStringMap(annotations[SOURCE_DIGESTS_ANNOTATION]);
  const fingerprints = parseStringMap(annotations[VALUE_FINGERPRINTS_ANNOTATION]);
  const macs = annotationMap(previous, SEALED_MACS_ANNOTATION);
  const encrypted = (previous.spec as { encryptedData?: Record<string, unknown> } | undefined)?.encryptedData ?? {};
  const entries = new Map(
    Object.entries(encrypted)
      .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
      .map(([key, sealed]) => [key, { sealed, digest: digests[key], fingerprint: fingerprints[key], mac: macs[key] }]),
  );
  return { sealedWith: annotations[SEALED_WITH_ANNOTATION], scope: scopeOf(annotations), entries, hasMacs: annotations[SEALED_MACS_ANNOTATION] !== undefined };
}

function sealedSecretObject(props: SealSecretProps, scope: SealingScope, encryptedData: Record<string, string>, fleet: Record<string, string>): KubeObject {
  const { name, namespace, source } = props;
  const scopeAnnotations: Record<string, string> =
    scope === 'cluster-wide' ? { [CLUSTER_WIDE_ANNOTATION]: 'true' } : scope === 'namespace-wide' ? { [NAMESPACE_WIDE_ANNOTATION]: 'true' } : {};
  const templateAnnotations = sortedRecord({ ...withoutScopeOrLastApplied(source.annotations), ...scopeAnnotations });
  return {
    apiVersion: SEALED_SECRET_API_VERSION,
    kind: 'SealedSecret',
    metadata: { name, namespace, annotations: sortedRecord({ ...fleet, ...scopeAnnotations }) },
    spec: {
      encryptedData: sortedRecord(encryptedData),
      template: {
        metadata: {
          name,
          namespace,
          ...(source.labels && Object.keys(source.labels).length > 0 ? { labels: sortedRecord(source.labels) } : {}),
          ...(Object.keys(templateAnnotations).length > 0 ? { annotations: templateAnnotations } : {}),
        },
        ...(source.type ? { type: source.type } : {}),
        ...(source.immutable !== undefined ? { immutable: source.immutable } : {}),
      },
    },
  };
}

function reason(previous: PreviousSealing | undefined, sameContext: boolean, certificate: SealingCertificate, scope: SealingScope): string {
  if (!previous) return 'it has not been sealed before';
  if (sameContext) return 'its SOPS ciphertext changed since it was sealed';
  if (previous.sealedWith !== certificate.fingerprint) return 'the sealing certificate changed since it was sealed';
  return `its scope changed from ${previous.scope} to ${scope}`;
}

function changedWithoutKey(props: SealSecretProps, entry: SecretEntry, why: string): Problem {
  const place: Place = {
    cluster: props.cluster,
    namespace: props.namespace,
    object: `SealedSecret/${props.namespace}/${props.name}`,
    field: `spec.encryptedData.${entry.key}`,
    definition: props.source.file,
  };
  return error(
    'secrets/changed-without-key',
    place,
    `key ${JSON.stringify(entry.key)} must be sealed again (${why}) but no age identity can decrypt its SOPS source`,
    'run synth with SOPS_AGE_KEY_FILE set to the environment key, then commit the new SealedSecret',
  );
}

function changedMetadataWithoutKey(props: SealSecretProps): Problem {
  return error(
    'secrets/changed-without-key',
    { cluster: props.cluster, namespace: props.namespace, object: `SealedSecret/${props.namespace}/${props.name}`, field: 'spec.template', definition: props.source.file },
    'the type, labels, annotations or immutable of its SOPS source changed since it was sealed; those plain fields are protected only by the SOPS MAC, which cannot be verified without a key',
    'run synth with SOPS_AGE_KEY_FILE set to the environment key (it verifies the MAC), then commit the new SealedSecret; if you did not change the source, restore it from git',
  );
}

function unverifiedCiphertext(props: SealSecretProps, entry: SecretEntry): Problem {
  return warning(
    'secrets/sealed-ciphertext-replaced',
    { cluster: props.cluster, namespace: props.namespace, object: `SealedSecret/${props.namespace}/${props.name}`, field: `spec.encryptedData.${entry.key}`, definition: props.source.file },
    `the committed ciphertext of key ${JSON.stringify(entry.key)} does not carry a valid seal MAC: it was not sealed by fleet from its source (possibly sealed by hand with the public certificate); it was sealed again from the source`,
    'commit the resealed SealedSecret and find out who changed the ciphertext (git log -p on the file)',
  );
}

function withoutScopeOrLastApplied(annotations: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const drop = new Set([...LAST_APPLIED, NAMESPACE_WIDE_ANNOTATION, CLUSTER_WIDE_ANNOTATION]);
  return Object.fromEntries(Object.entries(annotations ?? {}).filter(([key]) => !drop.has(key)));
}


function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** JSON with object keys sorted, so equal data gives equal text whatever the key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? sortedRecord(v as Record<string, unknown>) : v,
  );
}
