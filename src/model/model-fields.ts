import type { FleetSpec } from './fleet';
import { loadModelSchema, MODEL_SCHEMA_FILE, type ModelSchema, type ObjectType, type Shape } from './model-schema';
import { error, type Place, type Problem } from './problem';

/**
 * Every field of the fleet that the model does not define is an error: synth is bundled with
 * esbuild, which strips types, so a misspelt `periodSecond` would otherwise be dropped without a
 * word. The fleet value is walked against the schema generated from the model's TypeScript
 * types (model-schema.ts); each unknown field is reported with its system file, the service,
 * environment or cluster it is in, its field path and, when a known field is close, "did you mean".
 */
export function checkModelFields(fleet: FleetSpec, schema: ModelSchema | null = loadModelSchema()): Problem[] {
  if (!schema) {
    return [error('model/schema-missing', { field: MODEL_SCHEMA_FILE }, `the model schema ${MODEL_SCHEMA_FILE} has not been generated`, 'run `npm run build` (every npm command that loads the fleet generates it)')];
  }
  const unknown: UnknownField[] = [];
  walk(schema, fleet, schema.root, [], unknown);
  return unknown.map((field) => unknownFieldProblem(fleet, field));
}

/** A path from the fleet root: property names and array indices. */
type Path = readonly (string | number)[];

interface UnknownField {
  readonly path: Path;
  readonly typeName: string;
  readonly known: readonly string[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function walk(schema: ModelSchema, value: unknown, shape: Shape, path: Path, out: UnknownField[]): void {
  if (value === undefined || value === null) return;
  switch (shape.k) {
    case 'array':
      if (Array.isArray(value)) value.forEach((item, i) => walk(schema, item, shape.items, [...path, i], out));
      return;
    case 'record':
      if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) walk(schema, item, shape.values, [...path, key], out);
      return;
    case 'ref':
      if (isPlainObject(value)) walkObject(schema, value, shape.name, path, out);
      return;
    case 'union': {
      const member = bestMember(schema, value, shape.of);
      if (member) walk(schema, value, member, path, out);
      return;
    }
    default:
      return;
  }
}

function walkObject(schema: ModelSchema, value: Record<string, unknown>, typeName: string, path: Path, out: UnknownField[]): void {
  const type = schema.types[typeName];
  for (const [key, item] of Object.entries(value)) {
    const property = type.props[key];
    if (property) walk(schema, item, property.shape, [...path, key], out);
    else if (type.index) walk(schema, item, type.index, [...path, key], out);
    else if (item !== undefined) out.push({ path: [...path, key], typeName, known: Object.keys(type.props) });
  }
}

/**
 * The union member a value is meant to be: the one of its JavaScript kind whose literal fields
 * (discriminants such as `kind: 'canary'`) match, then the one with the fewest unknown fields,
 * then the fewest missing required fields. Unknown fields are reported against that member.
 */
function bestMember(schema: ModelSchema, value: unknown, members: readonly Shape[]): Shape | undefined {
  if (members.some((m) => m.k === 'any')) return undefined;
  if (Array.isArray(value)) return members.find((m) => m.k === 'array');
  if (!isPlainObject(value)) return undefined;
  const record = members.find((m) => m.k === 'record');
  const candidates = members
    .filter((m): m is Extract<Shape, { k: 'ref' }> => m.k === 'ref')
    .map((m) => ({ shape: m, type: schema.types[m.name] }))
    .filter(({ type }) => literalsMatch(type, value))
    .map(({ shape, type }) => ({ shape, unknown: unknownKeys(type, value), missing: missingKeys(type, value) }))
    .sort((a, b) => a.unknown - b.unknown || a.missing - b.missing);
  if (record && (candidates.length === 0 || candidates[0].unknown > 0)) return record;
  return candidates[0]?.shape;
}

function literalsMatch(type: ObjectType, value: Record<string, unknown>): boolean {
  return Object.entries(type.props).every(([key, { shape }]) => {
    const literals = shape.k === 'literal' ? [shape] : shape.k === 'union' && shape.of.every((m) => m.k === 'literal') ? shape.of : undefined;
    return !literals || value[key] === undefined || literals.some((m) => m.k === 'literal' && m.v === value[key]);
  });
}

function unknownKeys(type: ObjectType, value: Record<string, unknown>): number {
  return type.index ? 0 : Object.keys(value).filter((key) => !(key in type.props)).length;
}

function missingKeys(type: ObjectType, value: Record<string, unknown>): number {
  return Object.entries(type.props).filter(([key, p]) => !p.optional && value[key] === undefined).length;
}

// ---- reporting ----------------------------------------------------------------------------------

function unknownFieldProblem(fleet: FleetSpec, field: UnknownField): Problem {
  const name = String(field.path[field.path.length - 1]);
  const place = placeOf(fleet, field.path);
  const suggestion = closestName(name, field.known);
  const known = [...field.known].sort().join(', ');
  const fix = suggestion
    ? `did you mean "${suggestion}"? (fields of ${field.typeName}: ${known})`
    : `remove it, or use one of the fields of ${field.typeName}: ${known}`;
  return error('model/unknown-field', place, `"${name}" is not a field of ${field.typeName}: the model would drop it silently`, fix);
}

/**
 * The place of a path: the system's file, then the service, environment (and the service it
 * overrides) or cluster it lies in, and the field path inside that — as the other model checks
 * name places (`services.<name>.…` inside an environment).
 */
export function placeOf(fleet: FleetSpec, path: Path): Place {
  const dotted = (rest: Path) => rest.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
  if (path[0] === 'systems' && typeof path[1] === 'number') {
    const system = fleet.systems[path[1]];
    const base = { definition: system.definition };
    if (path[2] === 'services' && typeof path[3] === 'number') return { ...base, service: system.services[path[3]]?.name, field: dotted(path.slice(4)) };
    if (path[2] === 'environments' && typeof path[3] === 'number') {
      const environment = system.environments[path[3]]?.name;
      const overridden = path[4] === 'services' && typeof path[5] === 'string' ? path[5] : undefined;
      return { ...base, environment, service: overridden, field: dotted(path.slice(4)) };
    }
    return { ...base, field: dotted(path.slice(2)) };
  }
  if (path[0] === 'clusters' && typeof path[1] === 'number') {
    const cluster = fleet.clusters[path[1]];
    return { cluster: cluster?.name, environment: cluster?.environment, definition: cluster?.definition, field: dotted(path.slice(2)) };
  }
  return { field: dotted(path) };
}

/** The known name closest to a misspelt one, when it is close enough to be a typo. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name, candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  // One edit per three characters (at least one, at most three) is a typo; more is another word.
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  return best && best.distance <= allowed ? best.name : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
