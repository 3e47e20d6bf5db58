import type { PathSegment } from '../field-path';

/**
 * One way an object breaks its schema, whatever produced it (the generated Kubernetes validators,
 * ajv on a CRD schema, or the unknown-field walk). Turned into a Problem by `schema-problems.ts`.
 */
export interface SchemaViolation {
  /** Path of the offending value; for `required`, of the object missing the field. */
  readonly path: readonly PathSegment[];
  /** JSON Schema keyword: `type`, `required`, `enum`, `format`, `oneOf`, `anyOf`, `additionalProperties`, … */
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The validator's own wording, used for keywords without a dedicated message. */
  readonly message?: string;
  /** For unknown fields: the field names allowed there, to suggest the closest. */
  readonly allowed?: readonly string[];
}

/** The shape ajv (and the validators ajv generated) reports errors in. */
export interface AjvLikeError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly message?: string;
  readonly parentSchema?: unknown;
}
