import type { PathSegment } from '../field-path';
import { isRecord } from '../json';
import type { SchemaViolation } from './schema-violation';

/**
 * Which fields a built-in kind allows, learnt from its generated validator — for `kubeconform
 * -strict`-style unknown-field errors.
 *
 * Why this exists: kubernetes-models ships ajv code generated from the upstream OpenAPI, not the
 * schemas themselves, and the OpenAPI allows unknown fields (the API server drops them silently,
 * which is how `replicass: 3` goes unnoticed). kubeconform fixes that by adding
 * `additionalProperties: false` to every object schema with `properties`; we cannot edit compiled
 * code, so we observe it instead: the generated code reads exactly the properties its schema
 * declares (`data.replicas`, `data.selector`, …) and enumerates the keys of maps
 * (`for (const k in data)`). Validating a Proxy that records those reads yields the same field
 * tree the schema has. Arrays are discovered from the validator's own "must be array" errors and
 * probed again, so a kind needs as many passes as it nests arrays (4 for a Deployment, ~60 ms once).
 */

/** What the schema allows at one place of an object. */
export type FieldShape =
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, FieldShape> }
  | { readonly kind: 'map'; readonly values: FieldShape }
  | { readonly kind: 'array'; readonly items: FieldShape }
  /** Scalars, free-form objects (RawExtension, FieldsV1) and anything not learnt. */
  | { readonly kind: 'any' };

const ANY: FieldShape = { kind: 'any' };

/** Recursive schemas (only CustomResourceDefinition's JSONSchemaProps) would never end. */
const MAX_PROBES = 25_000;
const MAX_DEPTH = 32;
const MAX_PASSES = 12;
const MAP_KEY = '*';

class ProbeBudgetExceeded extends Error {}

interface ProbeNode {
  readonly props: Set<string>;
  iterated: boolean;
}

/**
 * The field tree a validator accepts, or undefined when it cannot be learnt (recursive schemas);
 * such kinds are still type-checked, only not for unknown fields.
 */
export function learnFieldShape(validate: (data: unknown) => readonly { instancePath: string; keyword: string; params: Readonly<Record<string, unknown>> }[]): FieldShape | undefined {
  const arrays = new Set<string>();
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const nodes = new Map<string, ProbeNode>();
    let errors: readonly { instancePath: string; keyword: string; params: Readonly<Record<string, unknown>> }[];
    try {
      errors = validate(probe('', 0, arrays, nodes, { count: 0 }));
    } catch (e) {
      if (e instanceof ProbeBudgetExceeded) return undefined;
      throw e;
    }
    const newArrays = errors.filter((e) => e.keyword === 'type' && e.params.type === 'array' && !arrays.has(e.instancePath));
    if (newArrays.length === 0) return shapeAt('', nodes, arrays);
    for (const e of newArrays) arrays.add(e.instancePath);
  }
  return undefined;
}

function probe(path: string, depth: number, arrays: ReadonlySet<string>, nodes: Map<string, ProbeNode>, budget: { count: number }): unknown {
  if (++budget.count > MAX_PROBES) throw new ProbeBudgetExceeded();
  const node: ProbeNode = { props: new Set(), iterated: false };
  nodes.set(path, node);
  const isArray = arrays.has(path);
  const children = new Map<string, unknown>();
  const child = (key: string) => {
    if (depth >= MAX_DEPTH) return undefined;
    if (!children.has(key)) children.set(key, probe(`${path}/${key}`, depth + 1, arrays, nodes, budget));
    return children.get(key);
  };
  return new Proxy(isArray ? [] : {}, {
    get(target, key) {
      if (typeof key === 'symbol') return Reflect.get(target, key);
      if (isArray) return key === 'length' ? 1 : key === '0' ? child('0') : Reflect.get(target, key);
      node.props.add(key);
      return child(key);
    },
    has: () => true,
    ownKeys() {
      if (isArray) return ['0', 'length'];
      node.iterated = true;
      return [MAP_KEY];
    },
    getOwnPropertyDescriptor(target, key) {
      if (isArray && key === 'length') return Reflect.getOwnPropertyDescriptor(target, key);
      return { enumerable: true, configurable: true, writable: true, value: child(isArray ? '0' : MAP_KEY) };
    },
  });
}

function shapeAt(path: string, nodes: ReadonlyMap<string, ProbeNode>, arrays: ReadonlySet<string>): FieldShape {
  if (arrays.has(path)) return { kind: 'array', items: shapeAt(`${path}/0`, nodes, arrays) };
  const node = nodes.get(path);
  if (!node) return ANY;
  if (node.iterated) return { kind: 'map', values: shapeAt(`${path}/${MAP_KEY}`, nodes, arrays) };
  if (node.props.size === 0) return ANY;
  const fields = new Map<string, FieldShape>();
  for (const prop of [...node.props].sort()) fields.set(prop, shapeAt(`${path}/${prop}`, nodes, arrays));
  return { kind: 'object', fields };
}

/** Every field of `value` that `shape` does not allow, as `additionalProperties` violations. */
export function unknownFields(value: unknown, shape: FieldShape, path: PathSegment[] = []): SchemaViolation[] {
  switch (shape.kind) {
    case 'any':
      return [];
    case 'array':
      return Array.isArray(value) ? value.flatMap((item, i) => unknownFields(item, shape.items, [...path, i])) : [];
    case 'map':
      return isRecord(value) ? Object.entries(value).flatMap(([k, v]) => unknownFields(v, shape.values, [...path, k])) : [];
    case 'object': {
      if (!isRecord(value)) return [];
      const out: SchemaViolation[] = [];
      for (const [k, v] of Object.entries(value)) {
        const field = shape.fields.get(k);
        if (field) out.push(...unknownFields(v, field, [...path, k]));
        else out.push({ path, keyword: 'additionalProperties', params: { additionalProperty: k }, allowed: [...shape.fields.keys()] });
      }
      return out;
    }
  }
}
