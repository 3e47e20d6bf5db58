import type { KubeObject } from '../../model/kube-object';
import type { JsonValue } from '../../render/json-patch';
import { formatPath, type FieldChange, type PathSegment } from './field-changes';

/**
 * Secret-like objects in a diff: a Secret, a SealedSecret, or anything SOPS encrypted. Their
 * diff says which KEYS were added, removed or changed and never shows a value, plaintext or
 * ciphertext (a base64 Secret value is plaintext to anyone reading a pull request).
 */

export interface SecretKeyChanges {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Keys whose value (or ciphertext: re-encryption changes it too) differs. */
  readonly changed: readonly string[];
}

type Json = { [key: string]: JsonValue };

function field(obj: unknown, ...path: string[]): JsonValue | undefined {
  let current = obj as JsonValue | undefined;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Json)[key];
  }
  return current;
}

export function isSopsEncrypted(obj: KubeObject): boolean {
  return typeof obj.sops === 'object' && obj.sops !== null;
}

export function isSecretLike(obj: KubeObject): boolean {
  return (obj.kind === 'Secret' && obj.apiVersion === 'v1') || obj.kind === 'SealedSecret' || isSopsEncrypted(obj);
}

function isEncrypted(value: JsonValue | undefined): boolean {
  return typeof value === 'string' && value.startsWith('ENC[');
}

/** Paths of every SOPS-encrypted leaf (`ENC[…]` strings) of an object that is not a Secret. */
function encryptedLeaves(value: JsonValue | undefined, path: PathSegment[], out: Map<string, string>): void {
  if (isEncrypted(value)) out.set(formatPath(path), value as string);
  else if (Array.isArray(value)) value.forEach((item, i) => encryptedLeaves(item, [...path, i], out));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) if (key !== 'sops') encryptedLeaves(item, [...path, key], out);
}

/**
 * Key → value of an object's secret data, for comparison only. Secret: `data` and `stringData`;
 * SealedSecret: `spec.encryptedData`; other SOPS documents: every encrypted leaf by path.
 */
export function secretData(obj: KubeObject): Map<string, string> {
  const out = new Map<string, string>();
  const add = (map: JsonValue | undefined) => {
    if (typeof map === 'object' && map !== null && !Array.isArray(map)) for (const [key, value] of Object.entries(map)) out.set(key, JSON.stringify(value));
  };
  if (obj.kind === 'Secret') {
    add(field(obj, 'data'));
    add(field(obj, 'stringData'));
  } else if (obj.kind === 'SealedSecret') {
    add(field(obj, 'spec', 'encryptedData'));
  } else {
    encryptedLeaves(obj as unknown as JsonValue, [], out);
  }
  return out;
}

export function secretKeyChanges(before: KubeObject | undefined, after: KubeObject | undefined): SecretKeyChanges {
  const old = before ? secretData(before) : new Map<string, string>();
  const next = after ? secretData(after) : new Map<string, string>();
  return {
    added: [...next.keys()].filter((key) => !old.has(key)).sort(),
    removed: [...old.keys()].filter((key) => !next.has(key)).sort(),
    changed: [...next.keys()].filter((key) => old.has(key) && old.get(key) !== next.get(key)).sort(),
  };
}

/** Where a secret-like object keeps its data: those changes are reported as keys instead. */
function isDataPath(obj: KubeObject, path: readonly PathSegment[]): boolean {
  const [first, second] = path;
  if (obj.kind === 'Secret') return first === 'data' || first === 'stringData';
  if (obj.kind === 'SealedSecret') return first === 'spec' && second === 'encryptedData';
  return false;
}

/**
 * A secret-like object's field changes with every value dropped: data changes are left out
 * (secretKeyChanges reports them), SOPS metadata (new MAC and date on every edit) collapses to
 * one `sops` line, and every other change keeps only its path.
 */
export function redactFields(obj: KubeObject, changes: readonly FieldChange[]): FieldChange[] {
  const out: FieldChange[] = [];
  let sops = false;
  for (const change of changes) {
    if (isDataPath(obj, change.path)) continue;
    if (change.path[0] === 'sops') {
      sops = true;
      continue;
    }
    if (isSopsEncrypted(obj) && obj.kind !== 'Secret' && obj.kind !== 'SealedSecret' && (isEncrypted(change.before) || isEncrypted(change.after))) continue;
    out.push({ path: change.path, hidden: true });
  }
  if (sops) out.push({ path: ['sops'], hidden: true });
  return out;
}
