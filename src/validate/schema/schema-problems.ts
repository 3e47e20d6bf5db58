import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { formatFieldPath, type PathSegment } from '../field-path';
import { isRecord } from '../json';
import type { ValidationContext } from '../validation-context';
import type { SchemaViolation } from './schema-violation';

/**
 * Schema violations as Problems, one per offending field: a failed `oneOf` of an int-or-string
 * reports three ajv errors (not an integer, not a string, no branch matched); users get one line,
 * "must be an integer or a string, got object".
 */
export function schemaProblems(obj: KubeObject, violations: readonly SchemaViolation[], ctx: ValidationContext, schemaName: string): Problem[] {
  const byField = new Map<string, { path: readonly PathSegment[]; violations: SchemaViolation[] }>();
  for (const v of violations) {
    const path = fieldPathOf(v);
    const key = formatFieldPath(path);
    const entry = byField.get(key) ?? { path, violations: [] };
    entry.violations.push(v);
    byField.set(key, entry);
  }
  return [...byField.entries()].flatMap(([field, { path, violations: vs }]) => {
    const message = describe(vs, valueAt(obj, path), field || 'the object');
    return message ? [error('schema/invalid', ctx.placeOf(obj, field || undefined), `${message} (${schemaName})`, fixFor(vs, field))] : [];
  });
}

/** Unknown and missing fields are reported at the field itself, not at its parent. */
function fieldPathOf(v: SchemaViolation): readonly PathSegment[] {
  if (v.keyword === 'additionalProperties') return [...v.path, String(v.params.additionalProperty)];
  if (v.keyword === 'required') return [...v.path, String(v.params.missingProperty)];
  return v.path;
}

function describe(vs: readonly SchemaViolation[], value: unknown, field: string): string | undefined {
  const unknown = vs.find((v) => v.keyword === 'additionalProperties');
  if (unknown) {
    const name = String(unknown.params.additionalProperty);
    const suggestion = closest(name, unknown.allowed ?? []);
    return `unknown field "${field}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  }
  if (vs.some((v) => v.keyword === 'required')) return `required field "${field}" is missing`;
  const types = [...new Set(vs.filter((v) => v.keyword === 'type').map((v) => String(v.params.type)))];
  if (types.length > 0) return `"${field}" must be ${types.map(article).join(' or ')}, got ${jsonType(value)}`;
  const allowedValues = vs.find((v) => v.keyword === 'enum');
  if (allowedValues) {
    const values = (allowedValues.params.allowedValues as unknown[] | undefined) ?? [];
    return `"${field}" must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}, got ${JSON.stringify(value)}`;
  }
  const format = vs.find((v) => v.keyword === 'format');
  if (format) return `"${field}" must be a valid ${String(format.params.format)}, got ${JSON.stringify(value)}`;
  // A oneOf/anyOf with no type errors under it failed for a reason reported separately.
  const specific = vs.find((v) => v.keyword !== 'oneOf' && v.keyword !== 'anyOf' && v.keyword !== 'if') ?? vs[0];
  return `"${field}" ${specific.message ?? `fails ${specific.keyword}`}`;
}

function fixFor(vs: readonly SchemaViolation[], field: string): string {
  const unknown = vs.find((v) => v.keyword === 'additionalProperties');
  if (unknown) {
    const suggestion = closest(String(unknown.params.additionalProperty), unknown.allowed ?? []);
    return suggestion ? `Rename it to "${suggestion}", or remove it.` : 'Remove the field, or check the apiVersion: the API server would drop it silently.';
  }
  if (vs.some((v) => v.keyword === 'required')) return `Set "${field}".`;
  return `Change "${field}" to a value the schema accepts.`;
}

function valueAt(obj: unknown, path: readonly PathSegment[]): unknown {
  let current: unknown = obj;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isRecord(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The allowed name nearest to a typo, if any is near enough to be what was meant. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
