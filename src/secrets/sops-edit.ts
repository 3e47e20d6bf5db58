/**
 * Edits an encrypted SOPS file without decrypting it to disk: list key names, set or remove one
 * value, rotate recipients. Only the touched value is re-encrypted; every other `ENC[…]` string
 * stays byte-identical so a git diff shows exactly which key changed. The MAC is verified before
 * any edit (never re-bless a tampered file) and recomputed after, with a new `lastmodified`.
 */
import { randomBytes as nodeRandomBytes } from 'crypto';
import { isMap, isScalar, Scalar, YAMLMap } from 'yaml';
import { error, Place } from '../model/problem';
import { wrapDataKey } from './age-data-key';
import { fail, failed, ok, Result } from './result';
import { encryptScalar, RandomBytes, SopsScalar, TypedScalar } from './sops-cipher';
import { filePlace, openSopsFile, parseSopsFile, resealMac, setCiphertext } from './sops-document';
import { ageNode } from './sops-metadata';
import { collectLeaves, pathText, SOPS_KEY, YAML_OUTPUT } from './sops-tree';

/** A key of the file, never its value. */
export interface SopsKey {
  /** Mapping keys from the root (list items share their list's path). */
  readonly path: readonly string[];
  readonly encrypted: boolean;
}

export interface EditSopsOptions {
  /** age identities (`AGE-SECRET-KEY-1…`) able to open the file. */
  readonly identities: readonly string[];
  /** Clock for `lastmodified`; injected by tests. @default - the system clock */
  readonly now?: () => Date;
  /** Source of IVs; injected by tests. @default - crypto.randomBytes */
  readonly randomBytes?: RandomBytes;
  /** Repository path of the file, named in problems. @default - none */
  readonly file?: string;
}

/** The key paths of every value, in document order. Needs no key: SOPS keeps keys in clear. */
export function listSopsKeys(text: string, options: { readonly file?: string } = {}): Result<readonly SopsKey[]> {
  const place = filePlace(options.file);
  const file = parseSopsFile(text, place);
  if (!file.ok) return failed(file);
  const leaves = collectLeaves(file.value.doc);
  if ('error' in leaves) return fail(error('secrets/sops-malformed', place, leaves.error, 'restore the file from git'));
  return ok(leaves.map(({ path }) => ({ path, encrypted: file.value.rule.encrypts(path) })));
}

/**
 * Sets the value at a mapping path (creating missing parents). Setting the value it already has
 * returns the text unchanged, like sops reusing the IV of an unchanged value.
 */
export async function setSopsValue(text: string, path: readonly string[], value: SopsScalar, options: EditSopsOptions): Promise<Result<string>> {
  const place = { ...filePlace(options.file), field: pathText(path) };
  const opened = await openSopsFile(text, options.identities, place);
  if (!opened.ok) return failed(opened);
  const file = opened.value;
  if (path.length === 0 || path[0] === SOPS_KEY) {
    return fail(error('secrets/sops-invalid-path', place, `cannot set ${pathText(path)}`, 'name a key path outside the sops block, e.g. stringData.password'));
  }
  if (!file.rule.encrypts(path)) {
    return fail(
      error(
        'secrets/sops-unencrypted-path',
        place,
        `${pathText(path)} would be stored in clear: the file's encryption rule does not cover it`,
        'put secret values under a key the rule encrypts (for Kubernetes Secrets: data or stringData)',
      ),
    );
  }
  const typed = typedValue(value);
  const existing = file.leaves.find((leaf) => samePath(leaf.path, path) && leaf.node === file.doc.getIn(path, true));
  if (existing && existing.plain.type === typed.type && existing.plain.value === typed.value) return ok(text);

  const parent = mappingAt(file.doc.contents, path.slice(0, -1), true);
  if (!parent) return fail(notAMapping(path, place));
  const current = parent.get(path[path.length - 1], true);
  if (current !== undefined && current !== null && !isScalar(current)) {
    return fail(error('secrets/sops-invalid-path', place, `${pathText(path)} holds a mapping or list, not a value`, 'set a leaf key below it instead'));
  }
  const node = isScalar(current) ? current : new Scalar('');
  setCiphertext(node, encryptScalar(typed, file.dataKey, `${path.join(':')}:`, options.randomBytes ?? nodeRandomBytes));
  parent.set(path[path.length - 1], node);
  return resealMac(file, file.dataKey, now(options), place, options.randomBytes);
}

/** Removes the value (or subtree) at a mapping path; removing a missing key is a problem. */
export async function removeSopsValue(text: string, path: readonly string[], options: EditSopsOptions): Promise<Result<string>> {
  const place = { ...filePlace(options.file), field: pathText(path) };
  const opened = await openSopsFile(text, options.identities, place);
  if (!opened.ok) return failed(opened);
  const file = opened.value;
  const parent = path.length > 0 && path[0] !== SOPS_KEY ? mappingAt(file.doc.contents, path.slice(0, -1), false) : undefined;
  if (!parent || !parent.has(path[path.length - 1])) {
    return fail(error('secrets/sops-key-missing', place, `${pathText(path)} does not exist`, 'list the keys with the fleet secrets command'));
  }
  parent.delete(path[path.length - 1]);
  return resealMac(file, file.dataKey, now(options), place, options.randomBytes);
}

/**
 * Re-wraps the same data key for a new recipient list (sops `updatekeys`). Values, MAC and
 * `lastmodified` stay as they are: only the `sops.age` list changes.
 */
export async function rotateSopsRecipients(
  text: string,
  recipients: readonly string[],
  options: Pick<EditSopsOptions, 'identities' | 'file'>,
): Promise<Result<string>> {
  const place = filePlace(options.file);
  const opened = await openSopsFile(text, options.identities, place);
  if (!opened.ok) return failed(opened);
  const wrapped = await wrapDataKey(opened.value.dataKey, recipients, place);
  if (!wrapped.ok) return failed(wrapped);
  const sops = opened.value.doc.get(SOPS_KEY, true) as YAMLMap;
  sops.set('age', ageNode(wrapped.value));
  return ok(opened.value.doc.toString(YAML_OUTPUT));
}

/** A JavaScript value typed the way sops would type the YAML it came from. */
function typedValue(value: SopsScalar): TypedScalar {
  if (typeof value === 'boolean') return { value, type: 'bool' };
  if (typeof value === 'number') return { value, type: Number.isInteger(value) ? 'int' : 'float' };
  return { value, type: 'str' };
}

/** The mapping at a path, optionally creating missing mappings; undefined when something else is in the way. */
function mappingAt(root: unknown, path: readonly string[], create: boolean): YAMLMap | undefined {
  let node = root;
  for (const key of path) {
    if (!isMap(node)) return undefined;
    let child: unknown = node.get(key, true);
    if ((child === undefined || child === null || (isScalar(child) && child.value === null)) && create) {
      child = new YAMLMap();
      node.set(key, child);
    }
    node = child;
  }
  return isMap(node) ? node : undefined;
}

function notAMapping(path: readonly string[], place: Place) {
  return error('secrets/sops-invalid-path', place, `a parent of ${pathText(path)} is not a mapping`, 'choose a path whose parents are mappings');
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function now(options: EditSopsOptions): Date {
  return (options.now ?? (() => new Date()))();
}
