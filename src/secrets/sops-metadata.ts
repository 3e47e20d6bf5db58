/**
 * The `sops:` block of an encrypted file (getsops/sops `stores/stores.go`, `Metadata` and
 * `kmskey`), limited to one key group: age recipients, which fleet can wrap and unwrap, and AWS
 * KMS master keys, which only AWS can unwrap (kustomize-controller through its IRSA role, or the
 * `sops` CLI with AWS credentials). fleet reads and re-writes `kms` entries exactly as sops writes
 * them but never needs them: a file is opened with an age key, or read as ciphertext only.
 * Other master keys (pgp, gcp_kms, ...) may be present in files fleet reads; they are kept as
 * they are and never needed.
 */
import { Document, isMap, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { SopsEncryptionRuleOptions } from './sops-rule';
import { SOPS_KEY } from './sops-tree';

/** The data key wrapped for one age recipient. */
export interface SopsAgeRecipient {
  /** `age1…` public key. */
  readonly recipient: string;
  /** ASCII-armored age file whose plaintext is the 32-byte data key. */
  readonly enc: string;
}

/**
 * The data key wrapped by one AWS KMS key, as sops writes it (`stores.kmskey`: arn, role,
 * context, created_at, enc, aws_profile; role and context left out when empty).
 */
export interface SopsKmsKey {
  /** `arn:aws:kms:<region>:<account>:key/<id>` (or `alias/<name>`). */
  readonly arn: string;
  /** IAM role sops assumes before calling KMS. @default - none: the caller's own credentials */
  readonly role?: string;
  /** KMS encryption context. @default - none */
  readonly context?: Readonly<Record<string, string>>;
  /** RFC 3339 time the data key was wrapped. */
  readonly createdAt: string;
  /** Base64 KMS ciphertext blob of the data key. */
  readonly enc: string;
  /** AWS profile sops used; sops always writes it, `""` when none. */
  readonly awsProfile: string;
}

export interface SopsMetadata extends SopsEncryptionRuleOptions {
  /** AWS KMS master keys; never unwrapped by fleet, kept in the file as they are (edits touch only `age`). @default [] */
  readonly kms?: readonly SopsKmsKey[];
  readonly age: readonly SopsAgeRecipient[];
  /** RFC 3339 time of the last change; the additional data of the encrypted MAC. */
  readonly lastModified: string;
  /** `ENC[…]` of the upper-case hex SHA-512 MAC. */
  readonly mac: string;
  /** The MAC covers only encrypted values (and starts from a fixed prefix). */
  readonly macOnlyEncrypted: boolean;
  readonly version: string;
}

/** The sops release whose output fleet reproduces. */
export const SOPS_VERSION = '3.10.2';

/** sops writes `lastmodified` in RFC 3339 UTC with whole seconds: `2025-07-06T17:19:51Z`. */
export function formatLastModified(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Reads the `sops:` block, or says why the document is not a SOPS file fleet can handle. */
export function readMetadata(doc: Document): SopsMetadata | { readonly error: string } {
  const node = doc.get(SOPS_KEY, true);
  if (!isMap(node)) return { error: 'no sops metadata found (the file is not encrypted with sops)' };
  const raw = node.toJSON() as Record<string, unknown>;
  if (Array.isArray(raw.key_groups) && raw.key_groups.length > 0) {
    return { error: 'sops key_groups (Shamir secret sharing) are not supported; use a flat list of age recipients' };
  }
  if (raw.unencrypted_comment_regex || raw.encrypted_comment_regex) {
    return { error: 'sops comment-based encryption rules are not supported' };
  }
  const age = Array.isArray(raw.age) ? raw.age : [];
  const recipients = age.filter(
    (entry): entry is SopsAgeRecipient =>
      typeof entry === 'object' && entry !== null && typeof entry.recipient === 'string' && typeof entry.enc === 'string',
  );
  if (recipients.length !== age.length) return { error: 'malformed sops.age entry (needs recipient and enc)' };
  const kms = readKmsKeys(raw.kms);
  if ('error' in kms) return kms;
  if (typeof raw.lastmodified !== 'string') return { error: 'sops.lastmodified is missing' };
  if (typeof raw.mac !== 'string' || raw.mac === '') return { error: 'sops.mac is missing' };
  return {
    kms: kms.keys,
    age: recipients.map(({ recipient, enc }) => ({ recipient, enc })),
    lastModified: raw.lastmodified,
    mac: raw.mac,
    macOnlyEncrypted: raw.mac_only_encrypted === true,
    version: String(raw.version ?? ''),
    unencryptedSuffix: optionalString(raw.unencrypted_suffix),
    encryptedSuffix: optionalString(raw.encrypted_suffix),
    unencryptedRegex: optionalString(raw.unencrypted_regex),
    encryptedRegex: optionalString(raw.encrypted_regex),
  };
}

/** The `sops:` block as sops 3.10 writes it: fields in its struct order, empty ones left out. */
export function metadataNode(doc: Document, metadata: SopsMetadata): YAMLMap {
  const map = new YAMLMap();
  map.add(doc.createPair('age', ageNode(metadata.age)));
  map.add(doc.createPair('lastmodified', lastModifiedNode(metadata.lastModified)));
  map.add(doc.createPair('mac', metadata.mac));
  const optional: readonly [string, string | undefined][] = [
    ['unencrypted_suffix', metadata.unencryptedSuffix],
    ['encrypted_suffix', metadata.encryptedSuffix],
    ['unencrypted_regex', metadata.unencryptedRegex],
    ['encrypted_regex', metadata.encryptedRegex],
  ];
  for (const [key, value] of optional) if (value) map.add(doc.createPair(key, value));
  if (metadata.macOnlyEncrypted) map.add(doc.createPair('mac_only_encrypted', true));
  map.add(doc.createPair('version', metadata.version));
  return map;
}

/** The `age:` list; each `enc` as a literal block so the armor stays readable in diffs. */
export function ageNode(recipients: readonly SopsAgeRecipient[]): YAMLSeq {
  const seq = new YAMLSeq();
  for (const { recipient, enc } of recipients) {
    const entry = new YAMLMap();
    entry.set('recipient', recipient);
    const armored = new Scalar(enc);
    armored.type = Scalar.BLOCK_LITERAL;
    entry.set('enc', armored);
    seq.items.push(entry);
  }
  return seq;
}

/**
 * An AWS KMS key ARN as sops accepts it (`kms.NewMasterKeyFromArn`): partition, region, a
 * 12-digit account and a `key/` or `alias/` resource.
 */
export const KMS_ARN = /^arn:aws(-[a-z]+)*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:(key\/[0-9a-zA-Z-]+|alias\/[0-9a-zA-Z/_-]+)$/;

/** `2025-07-06T17:19:51Z` or with an offset: what Go's time.RFC3339 parses. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Reads `sops.kms`; an entry sops itself could not load (`kmskey.toInternal`: created_at must
 * parse as RFC 3339) or that could never be unwrapped (no ARN, no ciphertext) is an error, so
 * a damaged file is found at synth, not when kustomize-controller fails to decrypt it.
 */
export function readKmsKeys(value: unknown): { readonly keys: readonly SopsKmsKey[] } | { readonly error: string } {
  if (value === undefined || value === null) return { keys: [] };
  if (!Array.isArray(value)) return { error: 'sops.kms must be a list' };
  const keys: SopsKmsKey[] = [];
  for (const [index, entry] of value.entries()) {
    const why = kmsEntryError(entry);
    if (why) return { error: `malformed sops.kms[${index}] entry: ${why}` };
    const e = entry as Record<string, unknown>;
    keys.push({
      arn: e.arn as string,
      role: optionalString(e.role),
      context: isStringRecord(e.context) && Object.keys(e.context).length > 0 ? e.context : undefined,
      createdAt: e.created_at as string,
      enc: e.enc as string,
      awsProfile: typeof e.aws_profile === 'string' ? e.aws_profile : '',
    });
  }
  return { keys };
}

function kmsEntryError(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'not a mapping';
  const e = entry as Record<string, unknown>;
  if (typeof e.arn !== 'string' || !KMS_ARN.test(e.arn)) return 'arn is not an AWS KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)';
  if (typeof e.created_at !== 'string' || !RFC3339.test(e.created_at)) return 'created_at is not an RFC 3339 time';
  if (typeof e.enc !== 'string' || e.enc === '' || !/^[A-Za-z0-9+/]+={0,2}$/.test(e.enc)) return 'enc is not a base64 KMS ciphertext';
  if (e.aws_profile !== undefined && e.aws_profile !== null && typeof e.aws_profile !== 'string') return 'aws_profile is not a string';
  if (e.role !== undefined && e.role !== null && e.role !== '' && (typeof e.role !== 'string' || !/^arn:aws(-[a-z]+)*:iam::\d{12}:role\/.+$/.test(e.role))) return 'role is not an IAM role ARN';
  if (e.context !== undefined && e.context !== null && !isStringRecord(e.context)) return 'context is not a map of strings';
  return undefined;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Quoted like sops writes it, so YAML 1.1 readers do not turn it into a timestamp. */
export function lastModifiedNode(lastModified: string): Scalar {
  const node = new Scalar(lastModified);
  node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
