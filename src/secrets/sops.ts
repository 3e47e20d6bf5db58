/**
 * SOPS 3.x YAML files with age recipients: decrypt (verifying the MAC) and encrypt, producing
 * files the real `sops` CLI, Flux's kustomize-controller and `sops-age` read. Formats and
 * algorithms follow getsops/sops (`aes/cipher.go`, `sops.go`, `stores/yaml`); see the
 * `sops-*.ts` files for each part. Editing encrypted files is in `sops-edit.ts`.
 */
import { randomBytes as nodeRandomBytes } from 'crypto';
import { Document, isMap, visit, YAMLMap } from 'yaml';
import { error } from '../model/problem';
import { DATA_KEY_BYTES, wrapDataKey } from './age-data-key';
import { fail, failed, ok, Result } from './result';
import { encryptScalar, macBytes, PlainScalar, RandomBytes } from './sops-cipher';
import { DecryptedLeaf, filePlace, openSopsFile, setCiphertext } from './sops-document';
import { computeMac, encryptMac } from './sops-mac';
import { formatLastModified, metadataNode, SOPS_VERSION, SopsMetadata } from './sops-metadata';
import { encryptionRule, SopsEncryptionRuleOptions } from './sops-rule';
import { collectLeaves, parseSingleDocument, SOPS_KEY, typedScalar, YAML_OUTPUT } from './sops-tree';

export interface DecryptSopsOptions {
  /** age identities (`AGE-SECRET-KEY-1…`) to try, e.g. from `loadAgeIdentities`. */
  readonly identities: readonly string[];
  /** Repository path of the file, named in problems. @default - none */
  readonly file?: string;
}

/** One decrypted value; the value itself is only in `plain`, never in problems or logs. */
export interface SopsValue {
  readonly path: readonly string[];
  readonly encrypted: boolean;
  /** The committed `ENC[…]` text (safe to hash or show); undefined for plain values. */
  readonly ciphertext?: string;
  readonly plain: PlainScalar;
}

export interface DecryptedSops {
  /** The plaintext document without its `sops:` block. */
  readonly data: Readonly<Record<string, unknown>>;
  /** Every leaf in document order. */
  readonly values: readonly SopsValue[];
  /** The 32-byte AES key of the document; never log it. */
  readonly dataKey: Uint8Array;
  readonly metadata: SopsMetadata;
}

/** Decrypts a SOPS YAML file; fails on a wrong key, a tampered value or a MAC mismatch. */
export async function decryptSops(text: string, options: DecryptSopsOptions): Promise<Result<DecryptedSops>> {
  const place = filePlace(options.file);
  const opened = await openSopsFile(text, options.identities, place);
  if (!opened.ok) return failed(opened);
  const { doc, leaves, dataKey, metadata } = opened.value;
  return ok({ data: plaintextData(doc, leaves), values: leaves.map(sopsValue), dataKey, metadata });
}

export interface EncryptSopsOptions extends SopsEncryptionRuleOptions {
  /** age recipients (`age1…`) that can decrypt the file. */
  readonly recipients: readonly string[];
  /** Hash only encrypted values into the MAC (sops `--mac-only-encrypted`). @default false */
  readonly macOnlyEncrypted?: boolean;
  /** Clock for `lastmodified`; injected by tests. @default - the system clock */
  readonly now?: () => Date;
  /** Source of data keys and IVs; injected by tests (age draws its own randomness for `enc`). @default - crypto.randomBytes */
  readonly randomBytes?: RandomBytes;
  /** Reuse this data key instead of drawing one, e.g. to keep other files' keys stable. @default - a random key */
  readonly dataKey?: Uint8Array;
  /** Repository path of the file, named in problems. @default - none */
  readonly file?: string;
}

/**
 * Encrypts a plaintext YAML document (text, keeping its key order) or object. Comments are
 * dropped: sops would encrypt those inside encrypted subtrees, and a comment next to a secret
 * is where people paste the old password.
 */
export async function encryptSops(plaintext: string | Readonly<Record<string, unknown>>, options: EncryptSopsOptions): Promise<Result<string>> {
  const place = filePlace(options.file);
  const randomBytes = options.randomBytes ?? nodeRandomBytes;
  const doc = typeof plaintext === 'string' ? parseSingleDocument(plaintext) : new Document(plaintext);
  if ('error' in doc) return fail(error('secrets/sops-malformed', place, `cannot encrypt: ${doc.error}`, 'pass one YAML mapping document'));
  if (isMap(doc.contents) && doc.contents.has(SOPS_KEY)) {
    return fail(error('secrets/sops-already-encrypted', place, 'the document already has a sops block', 'edit it with the fleet secrets command instead of encrypting it again'));
  }
  const rule = encryptionRule(options);
  if ('error' in rule) return fail(error('secrets/sops-config-invalid', place, rule.error, 'fix the creation rule in .sops.yaml'));
  const leaves = collectLeaves(doc);
  if ('error' in leaves) return fail(error('secrets/sops-malformed', place, `cannot encrypt: ${leaves.error}`, 'use plain YAML without anchors and with string keys'));

  const dataKey = options.dataKey ?? randomBytes(DATA_KEY_BYTES);
  const age = await wrapDataKey(dataKey, options.recipients, place);
  if (!age.ok) return failed(age);

  stripComments(doc);
  const macInputs = [];
  for (const { path, node } of leaves) {
    const typed = typedScalar(node);
    if (typed === undefined) continue;
    const encrypted = rule.encrypts(path);
    macInputs.push({ bytes: macBytes(typed), encrypted });
    if (encrypted) setCiphertext(node, encryptScalar(typed, dataKey, `${path.join(':')}:`, randomBytes));
  }
  const lastModified = formatLastModified((options.now ?? (() => new Date()))());
  const macOnlyEncrypted = options.macOnlyEncrypted ?? false;
  const metadata: SopsMetadata = {
    ...rule.options,
    age: age.value,
    lastModified,
    mac: encryptMac(computeMac(macInputs, macOnlyEncrypted), dataKey, lastModified, randomBytes),
    macOnlyEncrypted,
    version: SOPS_VERSION,
  };
  const root = isMap(doc.contents) ? doc.contents : new YAMLMap();
  root.add(doc.createPair(SOPS_KEY, metadataNode(doc, metadata)));
  doc.contents = root;
  return ok(doc.toString(YAML_OUTPUT));
}

function sopsValue({ path, encrypted, ciphertext, plain }: DecryptedLeaf): SopsValue {
  return { path, encrypted, ciphertext, plain };
}

/** The document with ciphertexts replaced by plaintexts, as plain data, without `sops:`. */
function plaintextData(doc: Document, leaves: readonly DecryptedLeaf[]): Record<string, unknown> {
  const copy = doc.clone();
  const originals = collectLeaves(doc);
  const copies = collectLeaves(copy);
  if ('error' in originals || 'error' in copies) return {};
  // Both walks visit the same nodes in the same order: pair them to find each leaf's copy.
  const copyOf = new Map(originals.map((leaf, index) => [leaf.node, copies[index].node]));
  for (const leaf of leaves) {
    const target = copyOf.get(leaf.node);
    if (leaf.encrypted && target) target.value = leaf.plain.value;
  }
  copy.delete(SOPS_KEY);
  return (copy.toJS() ?? {}) as Record<string, unknown>;
}

function stripComments(doc: Document): void {
  doc.commentBefore = null;
  doc.comment = null;
  visit(doc, {
    Node(_key, node) {
      node.commentBefore = undefined;
      node.comment = undefined;
      node.spaceBefore = undefined;
    },
  });
}
