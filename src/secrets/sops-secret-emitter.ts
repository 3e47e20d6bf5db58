/**
 * The `sops` cluster backend: a Secret re-encrypted for one cluster's age recipient, for Flux's
 * kustomize-controller to decrypt in the cluster. SOPS output is randomized (data key, IVs), so
 * the previously committed file is reused byte for byte when nothing it was made from changed.
 *
 * What it was made from is recorded in the file as the plain (MAC-covered) annotation
 * `fleet.gitops.dev/source-digest: sha256:<hex>`, SHA-256 of the canonical JSON of the name,
 * namespace, type, labels, annotations, sorted recipients and every value's committed SOPS
 * ciphertext (`ENC[…]`, which reveals nothing about the value). Same digest and same recipients:
 * the previous file is returned unchanged, no key needed. Otherwise the values are encrypted
 * again, which needs their plaintext: without a key (CI) that is `secrets/changed-without-key`.
 */
import { createHash } from 'crypto';
import { error, Problem } from '../model/problem';
import { SecretSource } from './secret-source';
import { RandomBytes } from './sops-cipher';
import { parseSopsFile } from './sops-document';
import { encryptSops } from './sops';

export const SOURCE_DIGEST_ANNOTATION = 'fleet.gitops.dev/source-digest';

/** The rule Flux users know: only `data` and `stringData` are encrypted, metadata stays readable. */
export const SECRET_ENCRYPTED_REGEX = '^(data|stringData)$';

export interface EmitSopsSecretProps {
  /** Name of the Secret in the cluster. */
  readonly name: string;
  readonly namespace: string;
  readonly source: SecretSource;
  /** The cluster's age recipients (`age1…`). */
  readonly recipients: readonly string[];
  /** The file committed by the previous render. @default - none: encrypt afresh */
  readonly previous?: string;
  /** Clock for `lastmodified`; injected by tests. @default - the system clock */
  readonly now?: () => Date;
  /** Source of data keys and IVs; injected by tests. @default - crypto.randomBytes */
  readonly randomBytes?: RandomBytes;
  /** Cluster emitted for, named in problems. @default - none */
  readonly cluster?: string;
  /** Repository path of the emitted file, named in problems. @default - none */
  readonly file?: string;
}

export interface EmittedSopsSecret {
  /** The encrypted manifest; undefined when it could not be produced. */
  readonly text?: string;
  /** True when `text` is the previous file, unchanged. */
  readonly reused: boolean;
  readonly problems: readonly Problem[];
}

export async function emitSopsSecret(props: EmitSopsSecretProps): Promise<EmittedSopsSecret> {
  const digest = emitDigest(props);
  if (props.previous !== undefined && previousMatches(props.previous, digest, props.recipients)) {
    return { text: props.previous, reused: true, problems: [] };
  }
  const missing = props.source.entries.filter((entry) => entry.value === undefined);
  if (missing.length > 0) {
    const problem = error(
      'secrets/changed-without-key',
      { cluster: props.cluster, namespace: props.namespace, object: `Secret/${props.namespace}/${props.name}`, definition: props.source.file },
      `keys ${missing.map((e) => JSON.stringify(e.key)).join(', ')} must be encrypted again for the cluster (${props.previous === undefined ? 'new secret' : 'source or recipients changed'}) but no age identity can decrypt the SOPS source`,
      'run synth with SOPS_AGE_KEY_FILE set to the environment key, then commit the new file',
    );
    return { reused: false, problems: [problem] };
  }
  const encrypted = await encryptSops(secretManifest(props, digest), {
    recipients: props.recipients,
    encryptedRegex: SECRET_ENCRYPTED_REGEX,
    now: props.now,
    randomBytes: props.randomBytes,
    file: props.file,
  });
  return encrypted.ok ? { text: encrypted.value, reused: false, problems: [] } : { reused: false, problems: encrypted.problems };
}

/** The source digest recorded in (and compared with) the emitted file. */
export function emitDigest(props: Pick<EmitSopsSecretProps, 'name' | 'namespace' | 'source' | 'recipients'>): string {
  const { source } = props;
  const canonical = JSON.stringify([
    props.name,
    props.namespace,
    source.type ?? null,
    source.immutable ?? null,
    sorted(source.labels),
    sorted(source.annotations),
    [...props.recipients].map((r) => r.trim()).sort(),
    source.entries.map((e) => [e.field, e.key, e.ciphertext]),
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

function previousMatches(previous: string, digest: string, recipients: readonly string[]): boolean {
  const file = parseSopsFile(previous, {});
  if (!file.ok) return false;
  const annotations = (file.value.doc.getIn(['metadata', 'annotations']) as { toJSON?: () => unknown } | undefined)?.toJSON?.() as
    | Record<string, unknown>
    | undefined;
  const had = file.value.metadata.age.map((a) => a.recipient).sort();
  const want = [...recipients].map((r) => r.trim()).sort();
  return annotations?.[SOURCE_DIGEST_ANNOTATION] === digest && had.length === want.length && had.every((r, i) => r === want[i]);
}

/** The plaintext Secret; `data` values are base64 again, `stringData` values text. */
/**
 * The plaintext Secret manifest a SOPS file encrypts. `namespace` is left out when the output
 * file carries none (Kustomize sets it), because SOPS's MAC covers every value.
 */
export function secretManifest(props: { readonly name: string; readonly namespace?: string; readonly source: SecretSource }, digest: string): Record<string, unknown> {
  const { source } = props;
  const data = source.entries.filter((e) => e.field === 'data');
  const stringData = source.entries.filter((e) => e.field === 'stringData');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: props.name,
      ...(props.namespace !== undefined ? { namespace: props.namespace } : {}),
      ...(source.labels && Object.keys(source.labels).length > 0 ? { labels: sorted(source.labels) } : {}),
      annotations: { ...sorted(source.annotations), [SOURCE_DIGEST_ANNOTATION]: digest },
    },
    ...(source.type ? { type: source.type } : {}),
    ...(source.immutable !== undefined ? { immutable: source.immutable } : {}),
    ...(data.length > 0 ? { data: Object.fromEntries(data.map((e) => [e.key, (e.value as Buffer).toString('base64')])) } : {}),
    ...(stringData.length > 0 ? { stringData: Object.fromEntries(stringData.map((e) => [e.key, (e.value as Buffer).toString('utf8')])) } : {}),
  };
}

function sorted(record: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
