/**
 * The `sops:` block of an encrypted file (getsops/sops `stores/stores.go`, `Metadata`), limited to
 * what fleet uses: age recipients in one key group. Other master keys (pgp, kms, ...) may be
 * present in files fleet reads; they are kept as they are and never needed.
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

export interface SopsMetadata extends SopsEncryptionRuleOptions {
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
  if (typeof raw.lastmodified !== 'string') return { error: 'sops.lastmodified is missing' };
  if (typeof raw.mac !== 'string' || raw.mac === '') return { error: 'sops.mac is missing' };
  return {
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

/** Quoted like sops writes it, so YAML 1.1 readers do not turn it into a timestamp. */
export function lastModifiedNode(lastModified: string): Scalar {
  const node = new Scalar(lastModified);
  node.type = Scalar.QUOTE_DOUBLE;
  return node;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
