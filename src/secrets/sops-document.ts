/**
 * An encrypted SOPS YAML file held as a YAML document, so edits touch only the nodes they change
 * and every other byte (other ciphertexts, comments, layout) survives: git diffs stay minimal.
 * Shared by decrypting (`sops.ts`) and editing (`sops-edit.ts`).
 */
import { Document, isMap, Scalar } from 'yaml';
import { error, Place } from '../model/problem';
import { unwrapDataKey } from './age-data-key';
import { fail, failed, ok, Result } from './result';
import { CipherFailure, decryptScalar, macBytes, PlainScalar, RandomBytes } from './sops-cipher';
import { computeMac, decryptMac, encryptMac } from './sops-mac';
import { formatLastModified, lastModifiedNode, readMetadata, SopsMetadata } from './sops-metadata';
import { encryptionRule, SopsEncryptionRule } from './sops-rule';
import { collectLeaves, parseSingleDocument, pathText, SOPS_KEY, typedScalar, YAML_OUTPUT } from './sops-tree';

export interface SopsFile {
  readonly doc: Document;
  readonly metadata: SopsMetadata;
  readonly rule: SopsEncryptionRule;
}

/** A leaf with its plaintext; `ciphertext` is the committed `ENC[…]` text of encrypted leaves. */
export interface DecryptedLeaf {
  readonly path: readonly string[];
  readonly encrypted: boolean;
  readonly ciphertext?: string;
  readonly plain: PlainScalar;
  readonly node: Scalar;
}

/** An opened file: its data key, every leaf decrypted, the MAC verified. */
export interface OpenedSopsFile extends SopsFile {
  readonly dataKey: Uint8Array;
  readonly leaves: readonly DecryptedLeaf[];
}

const MALFORMED_FIX = 'restore the file from git, or re-create it with `sops` or the fleet secrets command';

/** Parses the YAML and the `sops:` block; no key needed. */
export function parseSopsFile(text: string, place: Place): Result<SopsFile> {
  const doc = parseSingleDocument(text);
  if ('error' in doc) return fail(error('secrets/sops-malformed', place, `not a SOPS YAML file: ${doc.error}`, MALFORMED_FIX));
  const metadata = readMetadata(doc);
  if ('error' in metadata) return fail(error('secrets/sops-malformed', place, metadata.error, MALFORMED_FIX));
  const rule = encryptionRule(metadata);
  if ('error' in rule) return fail(error('secrets/sops-malformed', place, `invalid sops encryption rule: ${rule.error}`, MALFORMED_FIX));
  return ok({ doc, metadata, rule });
}

/** Unwraps the data key, decrypts every leaf and verifies the MAC. */
export async function openSopsFile(text: string, identities: readonly string[], place: Place): Promise<Result<OpenedSopsFile>> {
  const file = parseSopsFile(text, place);
  if (!file.ok) return failed(file);
  const dataKey = await unwrapDataKey(file.value.metadata.age, identities, place);
  if (!dataKey.ok) return failed(dataKey);
  const leaves = decryptLeaves(file.value, dataKey.value, place);
  if (!leaves.ok) return failed(leaves);
  const verified = verifyMac(file.value, dataKey.value, leaves.value, place);
  if (!verified.ok) return failed(verified);
  return ok({ ...file.value, dataKey: dataKey.value, leaves: leaves.value });
}

/** Decrypts every leaf the rule encrypts; plain leaves are passed through with their MAC bytes. */
export function decryptLeaves(file: SopsFile, dataKey: Uint8Array, place: Place): Result<readonly DecryptedLeaf[]> {
  const leaves = collectLeaves(file.doc);
  if ('error' in leaves) return fail(error('secrets/sops-malformed', place, leaves.error, MALFORMED_FIX));
  const decrypted: DecryptedLeaf[] = [];
  for (const { path, node } of leaves) {
    const typed = typedScalar(node);
    if (typed === undefined) continue;
    if (!file.rule.encrypts(path)) {
      decrypted.push({ path, encrypted: false, plain: { ...typed, macBytes: macBytes(typed) }, node });
      continue;
    }
    if (typed.type !== 'str') {
      return fail(valueProblem('plain', path, place));
    }
    const plain = decryptScalar(typed.value as string, dataKey, `${path.join(':')}:`);
    if ('failure' in plain) return fail(valueProblem(plain.failure, path, place));
    decrypted.push({ path, encrypted: true, ciphertext: typed.value as string, plain, node });
  }
  return ok(decrypted);
}

/** Recomputes the MAC over the leaves and compares it with the stored one. */
export function verifyMac(file: SopsFile, dataKey: Uint8Array, leaves: readonly DecryptedLeaf[], place: Place): Result<void> {
  const stored = decryptMac(file.metadata.mac, dataKey, file.metadata.lastModified);
  const computed = computeMac(leaves.map(macInput), file.metadata.macOnlyEncrypted);
  if (stored === computed) return ok(undefined);
  const why = stored === undefined ? 'the stored MAC does not decrypt (sops.mac or sops.lastmodified was changed)' : 'the MAC does not match the values';
  return fail(
    error(
      'secrets/sops-mac-mismatch',
      place,
      `integrity check failed: ${why}; the file was modified outside sops`,
      'restore the file from git and re-apply the change with `sops` or the fleet secrets command',
    ),
  );
}

/**
 * After an edit: decrypts the edited document, computes the new MAC and stores it with a new
 * `lastmodified`. Returns the new text.
 */
export function resealMac(file: SopsFile, dataKey: Uint8Array, now: Date, place: Place, randomBytes?: RandomBytes): Result<string> {
  const leaves = decryptLeaves(file, dataKey, place);
  if (!leaves.ok) return failed(leaves);
  const lastModified = formatLastModified(now);
  const mac = computeMac(leaves.value.map(macInput), file.metadata.macOnlyEncrypted);
  const sops = file.doc.get(SOPS_KEY, true);
  if (!isMap(sops)) return fail(error('secrets/sops-malformed', place, 'no sops metadata found', MALFORMED_FIX));
  sops.set('lastmodified', lastModifiedNode(lastModified));
  sops.set('mac', encryptMac(mac, dataKey, lastModified, randomBytes));
  return ok(file.doc.toString(YAML_OUTPUT));
}

/** Replaces a scalar's value with its ciphertext, dropping styles meant for the plaintext. */
export function setCiphertext(node: Scalar, ciphertext: string): void {
  node.value = ciphertext;
  node.type = undefined;
  node.format = undefined;
  node.tag = undefined;
}

/** `{ definition: file }`: problems name the file that holds the secret. */
export function filePlace(file: string | undefined): Place {
  return file === undefined ? {} : { definition: file };
}

function macInput(leaf: DecryptedLeaf) {
  return { bytes: leaf.plain.macBytes, encrypted: leaf.encrypted };
}

function valueProblem(failure: CipherFailure | 'plain', path: readonly string[], place: Place) {
  const where = pathText(path);
  const messages: Record<CipherFailure | 'plain', string> = {
    plain: `${where} should be encrypted but holds a plain value`,
    malformed: `${where} is not a valid sops ENC[…] value`,
    authentication: `${where} does not decrypt: its ciphertext, IV or tag was changed, or it was moved from another key`,
    'unknown-type': `${where} has an unknown sops value type`,
  };
  return error(
    failure === 'authentication' ? 'secrets/sops-decrypt-failed' : 'secrets/sops-malformed',
    { ...place, field: place.field ?? where },
    messages[failure],
    failure === 'plain' ? 'encrypt the value with `sops` or the fleet secrets command; never commit it in clear' : MALFORMED_FIX,
  );
}
