import type { KubeObject } from '../model/kube-object';
import type { JsonPatchOperation, ObjectPatch, PatchTarget } from '../model/object-patch';
import { error, type Place, type Problem } from '../model/problem';

/**
 * Applies the model's per-environment patches (`ServiceOverride.patches`, an app's
 * `environments[…].patches`) to a service's or app's rendered objects, before the overlay is
 * computed: the overlay then carries the result as an ordinary computed patch, and validation,
 * policy and the secrets gate see the patched object. A patch whose target is not rendered, or
 * whose JSON 6902 path does not exist, is a model error (never silently skipped).
 */
export interface PatchResult {
  readonly objects: KubeObject[];
  readonly problems: Problem[];
}

export function applyObjectPatches(objects: readonly KubeObject[], patches: readonly ObjectPatch[], owner: string, place: Place): PatchResult {
  const result = [...objects];
  const problems: Problem[] = [];
  patches.forEach((patch, i) => {
    const field = `patches[${i}]`;
    const index = result.findIndex((obj) => matches(obj, patch.target, owner));
    if (index < 0) {
      const rendered = objects.map((obj) => `${obj.kind}/${obj.metadata.name}`).join(', ');
      problems.push(
        error(
          'model/patch-target-missing',
          { ...place, field: `${field}.target` },
          `no rendered object is ${describe(patch.target, owner)}`,
          `target one of the objects rendered here: ${rendered || '(none)'}`,
        ),
      );
      return;
    }
    const target = result[index];
    try {
      const patched = 'merge' in patch ? strategicMerge(target, patch.merge) : applyJsonPatch(target, patch.jsonPatch);
      if (!isObject(patched) || patched.kind !== target.kind || (patched.metadata as { name?: unknown } | undefined)?.name !== target.metadata.name) {
        throw new PatchError('a patch may not change kind or metadata.name (the overlay keys objects by them)');
      }
      result[index] = patched as unknown as KubeObject;
    } catch (cause) {
      if (!(cause instanceof PatchError)) throw cause;
      problems.push(error('model/patch-failed', { ...place, object: `${target.kind}/${target.metadata.name}`, field }, cause.message, 'fix the path (JSON pointer into the rendered object, see its file in dist/bases/) or use `merge`'));
    }
  });
  return { objects: result, problems };
}

function matches(obj: KubeObject, target: PatchTarget, owner: string): boolean {
  return obj.kind === target.kind && obj.metadata.name === (target.name ?? owner) && (target.apiVersion === undefined || obj.apiVersion === target.apiVersion);
}

function describe(target: PatchTarget, owner: string): string {
  return `${target.apiVersion ? `${target.apiVersion} ` : ''}${target.kind}/${target.name ?? owner}`;
}

class PatchError extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Strategic merge, the part objects need: maps merge, `null` deletes, lists whose items all
 * carry `name` (containers, env, volumes, volumeMounts, ports, imagePullSecrets) merge by name
 * — the patch merge key Kubernetes declares for them — with `$patch: delete` removing an item;
 * any other list is replaced.
 */
export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(target) || !isObject(patch)) return clone(patch);
  const result: Json = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else if (Array.isArray(value) && Array.isArray(result[key]) && namedList(value) && namedList(result[key] as unknown[])) {
      result[key] = mergeNamedList(result[key] as Json[], value as Json[]);
    } else result[key] = strategicMerge(result[key], value);
  }
  return result;
}

function namedList(list: readonly unknown[]): boolean {
  return list.every((item) => isObject(item) && typeof item.name === 'string');
}

function mergeNamedList(target: readonly Json[], patch: readonly Json[]): Json[] {
  const result = [...target];
  for (const item of patch) {
    const at = result.findIndex((existing) => existing.name === item.name);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) result[at] = strategicMerge(result[at], item) as Json;
    else result.push(clone(item));
  }
  return result;
}

/** RFC 6902 `add`, `replace` and `remove`; a missing parent (or a missing target of replace/remove) fails. */
export function applyJsonPatch(target: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let document = clone(target);
  for (const operation of operations) document = applyOperation(document, operation);
  return document;
}

function applyOperation(document: unknown, operation: JsonPatchOperation): unknown {
  const segments = parsePointer(operation.path);
  if (segments.length === 0) {
    if (operation.op === 'remove') throw new PatchError('cannot remove the whole object');
    return clone(operation.value);
  }
  const parent = walk(document, segments.slice(0, -1), operation.path);
  const last = segments[segments.length - 1];
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    const exists = Number.isInteger(index) && index >= 0 && index < parent.length;
    if (!Number.isInteger(index) || index < 0 || index > parent.length || (operation.op !== 'add' && !exists)) {
      throw new PatchError(`${operation.op} ${operation.path}: index ${last} is outside the list of ${parent.length}`);
    }
    if (operation.op === 'add') parent.splice(index, 0, clone(operation.value));
    else if (operation.op === 'replace') parent[index] = clone(operation.value);
    else parent.splice(index, 1);
    return document;
  }
  if (!isObject(parent)) throw new PatchError(`${operation.op} ${operation.path}: the parent is not an object or list`);
  if (operation.op !== 'add' && !Object.hasOwn(parent, last)) throw new PatchError(`${operation.op} ${operation.path}: no such field in the rendered object`);
  if (operation.op === 'remove') delete parent[last];
  else parent[last] = clone(operation.value);
  return document;
}

function parsePointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`"${path}" is not a JSON pointer (it must start with "/")`);
  return path.slice(1).split('/').map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function walk(document: unknown, segments: readonly string[], path: string): unknown {
  let node = document;
  for (const segment of segments) {
    if (Array.isArray(node) && /^\d+$/.test(segment) && Number(segment) < node.length) node = node[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else throw new PatchError(`${path}: "${segment}" does not exist in the rendered object`);
  }
  return node;
}
