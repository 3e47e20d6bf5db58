import { jsonEqual, type JsonValue } from '../../render/json-patch';

/**
 * Field-level differences between two versions of one object, for people rather than for
 * kubectl: list items that carry a `name` (containers, env, ports, volumes) are matched by name,
 * so adding one env variable is one change, not a rewrite of the whole list.
 */

/** A key, a list index, or a list item identified by its `name`. */
export type PathSegment = string | number | { readonly name: string };

export interface FieldChange {
  readonly path: readonly PathSegment[];
  /** Undefined when the field is added. */
  readonly before?: JsonValue;
  /** Undefined when the field is removed. */
  readonly after?: JsonValue;
  /** Set for secret-like objects: the change is shown, its values never are. */
  readonly hidden?: boolean;
}

type JsonObject = { [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Names of a list's items when every item is an object with a distinct string `name`. */
function itemNames(list: readonly JsonValue[]): string[] | undefined {
  const names = list.map((item) => (isObject(item) && typeof item.name === 'string' ? item.name : undefined));
  if (names.some((name) => name === undefined)) return undefined;
  return new Set(names).size === names.length ? (names as string[]) : undefined;
}

export function fieldChanges(before: JsonValue | undefined, after: JsonValue | undefined, path: readonly PathSegment[] = []): FieldChange[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ path, after }];
  if (after === undefined) return [{ path, before }];
  if (isObject(before) && isObject(after)) {
    const keys = [...Object.keys(before), ...Object.keys(after).filter((key) => !(key in before))];
    return keys.flatMap((key) => fieldChanges(before[key], after[key], [...path, key]));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const beforeNames = itemNames(before);
    const afterNames = itemNames(after);
    if (beforeNames && afterNames && (before.length > 0 || after.length > 0)) {
      const byName = (list: readonly JsonValue[], names: string[]) => new Map(names.map((name, i) => [name, list[i]]));
      const old = byName(before, beforeNames);
      const next = byName(after, afterNames);
      const names = [...beforeNames, ...afterNames.filter((name) => !old.has(name))];
      return names.flatMap((name) => fieldChanges(old.get(name), next.get(name), [...path, { name }]));
    }
    if (before.length === after.length) return before.flatMap((item, i) => fieldChanges(item, after[i], [...path, i]));
  }
  return jsonEqual(before, after) ? [] : [{ path, before, after }];
}

/** True when `path` starts with `prefix` (keys compared; `{}` in the prefix matches any item). */
export function startsWith(path: readonly PathSegment[], prefix: readonly (string | object)[]): boolean {
  if (path.length < prefix.length) return false;
  return prefix.every((segment, i) => (typeof segment === 'string' ? path[i] === segment : typeof path[i] !== 'string'));
}

/** The string keys of a path, list positions dropped: `spec.template.spec.containers.image`. */
export function keysOf(path: readonly PathSegment[]): string[] {
  return path.filter((segment): segment is string => typeof segment === 'string');
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `spec.template.spec.containers[flights].image`, `metadata.annotations["a.b/c"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  if (path.length === 0) return '(whole object)';
  return path
    .map((segment, i) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (typeof segment === 'object') return `[${segment.name}]`;
      if (IDENTIFIER.test(segment)) return i === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}

/** A value on one line: strings as they are, everything else as compact JSON; long ones cut. */
export function formatValue(value: JsonValue | undefined, max = 160): string {
  if (value === undefined) return '(absent)';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const oneLine = text.includes('\n') ? JSON.stringify(text) : text;
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}
