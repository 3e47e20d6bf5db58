import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The runtime schema of the model: which fields each model type has. Generated from the
 * exported TypeScript interfaces (FleetSpec and everything it reaches) by scripts/model-check.mjs
 * at build time into build/model-schema.json, so it can never disagree with the types.
 * Field types are the compiler's business (the same script type-checks src/environments);
 * the schema exists to find fields the model does not have, which esbuild would drop silently.
 */
export type Shape =
  | { readonly k: 'any' | 'string' | 'number' | 'boolean' }
  | { readonly k: 'literal'; readonly v: string | number | boolean }
  | { readonly k: 'array'; readonly items: Shape }
  | { readonly k: 'record'; readonly values: Shape }
  | { readonly k: 'ref'; readonly name: string }
  | { readonly k: 'union'; readonly of: readonly Shape[] };

export interface ObjectType {
  readonly props: Readonly<Record<string, { readonly optional: boolean; readonly shape: Shape }>>;
  /** Set when the type also has a string index signature. */
  readonly index?: Shape;
}

export interface ModelSchema {
  readonly root: Shape;
  readonly types: Readonly<Record<string, ObjectType>>;
}

export const MODEL_SCHEMA_FILE = 'build/model-schema.json';

let loaded: ModelSchema | undefined;

/**
 * The generated schema, found by walking up from this module (src/model under jest,
 * build/commands in the bundle); null when the build step has not run.
 */
export function loadModelSchema(start: string = __dirname): ModelSchema | null {
  if (loaded) return loaded;
  for (let dir = start; ; dir = dirname(dir)) {
    const path = join(dir, MODEL_SCHEMA_FILE);
    if (existsSync(path)) {
      loaded = JSON.parse(readFileSync(path, 'utf8')) as ModelSchema;
      return loaded;
    }
    if (dirname(dir) === dir) return null;
  }
}
