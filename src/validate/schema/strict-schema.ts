import { isRecord } from '../json';

/**
 * Turns a CRD's `openAPIV3Schema` into the JSON Schema ajv checks, strict like
 * `kubeconform -strict`:
 *
 * - Every object schema with `properties` and no `additionalProperties` gets
 *   `additionalProperties: false` (kubeconform's openapi2jsonschema does the same), unless it
 *   says `x-kubernetes-preserve-unknown-fields: true`, where the API server keeps unknown fields.
 * - `x-kubernetes-int-or-string: true` becomes `anyOf: [integer, string]` (it has no `type`).
 * - `x-kubernetes-embedded-resource: true` objects may carry `apiVersion`, `kind` and `metadata`.
 * - The root always allows `apiVersion`, `kind` and `metadata`, as the API server does.
 *
 * Branches of `allOf` / `anyOf` / `oneOf` / `not` are left alone: in a structural schema they
 * only add value constraints, and closing them would reject the fields the other branches name.
 *
 * @see https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema
 */
export function strictSchema(schema: unknown): unknown {
  const strict = tighten(schema);
  if (!isRecord(strict)) return strict;
  return { ...strict, properties: { ...withObjectMeta(strict.properties) } };
}

const EMBEDDED_FIELDS = {
  apiVersion: { type: 'string' },
  kind: { type: 'string' },
  metadata: { type: 'object' },
};

function withObjectMeta(properties: unknown): Record<string, unknown> {
  return { ...EMBEDDED_FIELDS, ...(isRecord(properties) ? properties : {}) };
}

function tighten(node: unknown): unknown {
  if (!isRecord(node)) return node;
  const out: Record<string, unknown> = { ...node };

  if (isRecord(node.properties)) {
    out.properties = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, tighten(v)]));
  }
  if (isRecord(node.items)) out.items = tighten(node.items);
  if (isRecord(node.additionalProperties)) out.additionalProperties = tighten(node.additionalProperties);

  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    // Flux and controller-gen already write the anyOf; add it only when missing.
    if (!Array.isArray(node.anyOf) && !Array.isArray(node.oneOf)) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node['x-kubernetes-embedded-resource'] === true) out.properties = withObjectMeta(out.properties);

  const preserves = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isRecord(out.properties) && node.additionalProperties === undefined && !preserves) out.additionalProperties = false;
  return out;
}
