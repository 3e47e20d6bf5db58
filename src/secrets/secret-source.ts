/**
 * A Kubernetes Secret whose values live in a committed SOPS file: what the SealedSecret and
 * per-cluster SOPS emitters are made from. It always carries each value's committed ciphertext
 * (`ENC[…]`, safe to hash: it reveals nothing), and the plaintext only when an age identity was
 * available. Synth in CI has no key, so everything downstream must work from ciphertexts alone
 * when nothing changed.
 */
import { isMap, isScalar } from 'yaml';
import { error, Place } from '../model/problem';
import { ageEntryError } from './age-stanza';
import { fail, failed, ok, Result } from './result';
import { openSopsFile, parseSopsFile } from './sops-document';
import { mappingKey } from './sops-tree';

/** Which Secret field a value came from: `data` holds base64, `stringData` text. */
export type SecretField = 'data' | 'stringData';

export interface SecretEntry {
  readonly key: string;
  readonly field: SecretField;
  /** The committed `ENC[…]` text; `''` for an empty value (sops does not encrypt those). */
  readonly ciphertext: string;
  /** The value's bytes (`data` already base64-decoded); undefined when no key was available. */
  readonly value?: Buffer;
}

export interface SecretSource {
  /** Repository path of the SOPS file, named in problems. */
  readonly file?: string;
  readonly type?: string;
  readonly immutable?: boolean;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** One entry per key, sorted by key; `stringData` wins over `data` like in Kubernetes. */
  readonly entries: readonly SecretEntry[];
  /** The SOPS data key; present only when the file was decrypted. Never log it. */
  readonly dataKey?: Uint8Array;
  /** The age recipients the file's data key is wrapped for (public keys). @default [] */
  readonly recipients?: readonly string[];
}

export interface ReadSecretSourceOptions {
  /** age identities to try; empty in CI, where only ciphertexts are read. */
  readonly identities: readonly string[];
  /** Repository path of the file, named in problems. @default - none */
  readonly file?: string;
}

const FIELDS: readonly SecretField[] = ['data', 'stringData'];

const AGE_STANZA_FIX =
  'restore the file from git; if the damage is committed, delete that entry from sops.age and run `npm run secrets -- rotate <environment>` with a key that opens the file (it wraps the data key again for every recipient in .sops.yaml)';

/**
 * Reads a SOPS-encrypted Secret manifest. Without a matching identity the entries carry only
 * ciphertexts; a tampered file or a plain value under data/stringData is always a problem.
 */
export async function readSecretSource(text: string, options: ReadSecretSourceOptions): Promise<Result<SecretSource>> {
  const place: Place = options.file === undefined ? {} : { definition: options.file };
  const parsed = parseSopsFile(text, place);
  if (!parsed.ok) return failed(parsed);
  const stanzas = parsed.value.metadata.age.flatMap(({ recipient, enc }, i) => {
    const why = ageEntryError(recipient, enc);
    return why === undefined ? [] : [error('secrets/age-stanza-invalid', { ...place, field: `sops.age[${i}]` }, `the data key wrapped for ${/^age1[0-9a-z]*$/.test(recipient) ? recipient : `entry ${i}`} is damaged: ${why}`, AGE_STANZA_FIX)];
  });
  if (stanzas.length > 0) return fail(...stanzas);
  const manifest = (parsed.value.doc.toJS() ?? {}) as Record<string, unknown>;
  const metadata = (manifest.metadata ?? {}) as Record<string, unknown>;
  const objectPlace: Place = { ...place, object: `Secret/${[metadata.namespace, metadata.name].filter(Boolean).join('/')}` };
  if (manifest.kind !== 'Secret') {
    return fail(error('secrets/not-a-secret', objectPlace, `the SOPS file holds a ${String(manifest.kind)}, not a Secret`, 'put one Kubernetes Secret in each SOPS secret file'));
  }

  const ciphertexts = new Map<string, Omit<SecretEntry, 'value'>>();
  for (const field of FIELDS) {
    const map = parsed.value.doc.get(field, true);
    if (map === undefined || map === null || (isScalar(map) && map.value === null)) continue;
    if (!isMap(map)) return fail(error('secrets/sops-malformed', { ...objectPlace, field }, `${field} must be a mapping`, 'restore the file from git'));
    for (const pair of map.items) {
      const key = mappingKey(pair.key) ?? '';
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (!parsed.value.rule.encrypts([field, key]) || typeof value !== 'string') {
        return fail(
          error('secrets/plaintext-secret', { ...objectPlace, field: `${field}.${key}` }, 'the value is not encrypted by sops', 'encrypt the file with an encrypted_regex covering data and stringData (see .sops.yaml)'),
        );
      }
      ciphertexts.set(key, { key, field, ciphertext: value });
    }
  }

  const decrypted = options.identities.length > 0 ? await openSopsFile(text, options.identities, place) : undefined;
  if (decrypted && !decrypted.ok && !decrypted.problems.every((p) => p.code === 'secrets/sops-no-identity')) return failed(decrypted);
  const opened = decrypted?.ok ? decrypted.value : undefined;

  const entries: SecretEntry[] = [];
  for (const entry of [...ciphertexts.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    const plain = opened?.leaves.find((leaf) => leaf.path.length === 2 && leaf.path[0] === entry.field && leaf.path[1] === entry.key)?.plain.macBytes;
    const bytes = entry.ciphertext === '' ? Buffer.alloc(0) : plain;
    if (bytes === undefined) {
      entries.push(entry);
      continue;
    }
    if (entry.field === 'stringData') {
      entries.push({ ...entry, value: bytes });
      continue;
    }
    const text64 = bytes.toString('utf8').replace(/\s+/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text64) || text64.length % 4 !== 0) {
      return fail(error('secrets/secret-data-invalid', { ...objectPlace, field: `data.${entry.key}` }, 'the decrypted data value is not valid base64', 'store base64 in data, or move the value to stringData'));
    }
    entries.push({ ...entry, value: Buffer.from(text64, 'base64') });
  }

  return ok({
    file: options.file,
    type: typeof manifest.type === 'string' ? manifest.type : undefined,
    immutable: typeof manifest.immutable === 'boolean' ? manifest.immutable : undefined,
    labels: stringRecord(metadata.labels),
    annotations: stringRecord(metadata.annotations),
    entries,
    dataKey: opened?.dataKey,
    recipients: parsed.value.metadata.age.map((entry) => entry.recipient),
  });
}

function stringRecord(value: unknown): Readonly<Record<string, string>> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
}
