/**
 * The smallest RFC 6902 JSON Patch that turns one object into another. Overlays are computed,
 * never hand-written: whatever differs between a service's base and its rendering for a cluster
 * becomes a patch, so the overlay cannot drift from the model.
 *
 * Arrays of equal length are patched element by element (a changed env value is one `replace`);
 * arrays of different length are replaced whole, because index-based `add`/`remove` would be
 * fragile and hard to review.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type PatchOperation =
  | { readonly op: 'add'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'replace'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string };

/** RFC 6901: `~` → `~0`, `/` → `~1` (annotation keys such as `eks.amazonaws.com/role-arn`). */
export function pointerSegment(key: string): string {
  if (!key.includes('~') && !key.includes('/')) return key;
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isObject(value: JsonValue | undefined): value is { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function diffJson(before: JsonValue, after: JsonValue, path = ''): PatchOperation[] {
  const ops: PatchOperation[] = [];
  collectDiff(before, after, path, ops);
  return ops;
}

/** diffJson's walk, appending to one list (no intermediate arrays: overlays diff every object of a fleet). */
function collectDiff(before: JsonValue, after: JsonValue, path: string, ops: PatchOperation[]): void {
  if (isObject(before) && isObject(after)) {
    for (const key of Object.keys(before)) {
      const child = `${path}/${pointerSegment(key)}`;
      if (!Object.hasOwn(after, key)) ops.push({ op: 'remove', path: child });
      else collectDiff(before[key], after[key], child, ops);
    }
    for (const key of Object.keys(after)) {
      if (!Object.hasOwn(before, key)) ops.push({ op: 'add', path: `${path}/${pointerSegment(key)}`, value: after[key] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    for (let i = 0; i < before.length; i++) collectDiff(before[i], after[i], `${path}/${i}`, ops);
    return;
  }
  if (!jsonEqual(before, after)) ops.push({ op: 'replace', path, value: after });
}

export function jsonEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => jsonEqual(item, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

/** Applies a patch produced by diffJson (used to prove overlays in tests without kustomize). */
export function applyPatch(document: JsonValue, ops: readonly PatchOperation[]): JsonValue {
  let result = cloneJson(document);
  for (const op of ops) {
    const segments = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (segments.length === 0) {
      if (op.op === 'remove') throw new Error('cannot remove the document root');
      result = cloneJson(op.value);
      continue;
    }
    const last = segments.pop() as string;
    let parent: JsonValue = result;
    for (const segment of segments) parent = (parent as Record<string, JsonValue>)[segment];
    const container = parent as Record<string, JsonValue>;
    if (op.op === 'remove') {
      if (Array.isArray(container)) container.splice(Number(last), 1);
      else delete container[last];
    } else {
      // defineProperty, not assignment: a key named "__proto__" must become data, not a prototype.
      Object.defineProperty(container, last, { value: cloneJson(op.value), enumerable: true, writable: true, configurable: true });
    }
  }
  return result;
}

/**
 * Deep copy of JSON data. Not structuredClone: its copies can carry another realm's Object
 * prototype (jest's VM), which js-yaml then refuses to serialise as a plain mapping.
 */
export function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
