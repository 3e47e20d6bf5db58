import { parse } from 'yaml';
import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { emitDigest, encryptSops, SECRET_ENCRYPTED_REGEX, secretManifest, SOURCE_DIGEST_ANNOTATION, type RandomBytes, type SecretSource } from '../../secrets';
import { parseYamlDocuments } from '../yaml';
import { withNamespace } from './previous-output';

/**
 * The `sops` backend's object for one namespace: the environment's secret re-encrypted for the
 * cluster's age recipient, which Flux's kustomize-controller decrypts (`decryption.provider: sops`
 * on the apps Kustomizations).
 *
 * Like every secret object the file is written without `metadata.namespace` (the namespace's
 * kustomization sets it), so the namespace is left out of the encrypted document too: SOPS'
 * MAC covers every value of the file, and a file whose MAC covers a namespace it no longer holds
 * would not open with `sops -d`. The namespace still counts in the reuse digest, and Flux does not
 * check the MAC after kustomize has set the namespace.
 *
 * No churn: the committed file is reused byte for byte while its `fleet.gitops.dev/source-digest`
 * (`emitDigest` in src/secrets/sops-secret-emitter.ts: name, namespace, type, labels,
 * annotations, recipients and every value's committed ciphertext) and its recipients are
 * unchanged — which needs no key.
 */
export interface SopsClusterSecretProps {
  readonly name: string;
  readonly namespace: string;
  readonly source: SecretSource;
  /** The cluster's age recipients (`age1…`). */
  readonly recipients: readonly string[];
  /** The committed file, header line removed. @default - none: encrypt afresh */
  readonly previous?: string;
  /** Cluster encrypted for, named in problems. */
  readonly cluster: string;
  /** Repository path of the emitted file, named in problems. @default - none */
  readonly file?: string;
  /** Clock for sops' `lastmodified`; injected by tests. @default - the system clock */
  readonly now?: () => Date;
  /** Source of data keys and IVs; injected by tests. @default - crypto.randomBytes */
  readonly randomBytes?: RandomBytes;
}

export interface SopsClusterSecret {
  /** The encrypted Secret with its namespace set; undefined when it could not be produced. */
  readonly object?: KubeObject;
  /** True when it was encrypted anew rather than reused. */
  readonly renewed: boolean;
  readonly problems: readonly Problem[];
}

export async function sopsClusterSecret(props: SopsClusterSecretProps): Promise<SopsClusterSecret> {
  const digest = emitDigest(props);
  const previous = props.previous === undefined ? undefined : parsePrevious(props.previous);
  if (previous && reusable(previous, digest, props.recipients)) {
    return { object: withNamespace(previous as unknown as KubeObject, props.namespace), renewed: false, problems: [] };
  }
  const missing = props.source.entries.filter((entry) => entry.value === undefined);
  if (missing.length > 0) return { renewed: false, problems: [changedWithoutKey(props, missing.map((e) => e.key), previous === undefined)] };
  const encrypted = await encryptSops(secretManifest({ name: props.name, source: props.source }, digest), {
    recipients: props.recipients,
    encryptedRegex: SECRET_ENCRYPTED_REGEX,
    now: props.now,
    randomBytes: props.randomBytes,
    file: props.file,
  });
  if (!encrypted.ok) return { renewed: false, problems: encrypted.problems };
  return { object: withNamespace(parse(encrypted.value) as KubeObject, props.namespace), renewed: true, problems: [] };
}

/** Read with the library that wrote it (js-yaml, src/render/yaml.ts), so reuse round-trips exactly. */
function parsePrevious(text: string): Record<string, unknown> | undefined {
  try {
    const docs = parseYamlDocuments(text);
    const [parsed] = docs;
    return docs.length === 1 && typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Same digest, same recipients, and still a SOPS file (never reuse a file someone decrypted). */
function reusable(previous: Record<string, unknown>, digest: string, recipients: readonly string[]): boolean {
  const metadata = previous.metadata as { annotations?: Record<string, unknown> } | undefined;
  const sops = previous.sops as { mac?: unknown; age?: { recipient?: unknown }[] } | undefined;
  if (metadata?.annotations?.[SOURCE_DIGEST_ANNOTATION] !== digest || typeof sops?.mac !== 'string' || !Array.isArray(sops.age)) return false;
  const had = sops.age.map((a) => String(a.recipient)).sort();
  const want = recipients.map((r) => r.trim()).sort();
  return had.length === want.length && had.every((r, i) => r === want[i]);
}

function changedWithoutKey(props: SopsClusterSecretProps, keys: readonly string[], isNew: boolean): Problem {
  return error(
    'secrets/changed-without-key',
    { cluster: props.cluster, namespace: props.namespace, object: `Secret/${props.namespace}/${props.name}`, definition: props.source.file },
    `secret ${props.name} must be encrypted again for cluster ${props.cluster} (${isNew ? 'it is new here' : 'its source, recipients or metadata changed'}) but no age identity can decrypt keys ${keys.map((k) => JSON.stringify(k)).join(', ')} of its SOPS source`,
    'run `npm run synth` with SOPS_AGE_KEY_FILE set to the environment key, then commit the new file',
  );
}
