import { createHash } from 'node:crypto';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { CrdVersion } from './crd-catalog';
import { strictSchema } from './strict-schema';

/**
 * Compiles CRD schemas with ajv, once per distinct schema for the life of the process: compiling
 * Argo Rollouts' 200 KB schema takes far longer than validating thousands of Rollouts with it.
 */

export type CompiledCrd = { readonly ok: true; readonly validate: ValidateFunction } | { readonly ok: false; readonly reason: string };

const compiled = new Map<string, CompiledCrd>();
const keyOfVersion = new WeakMap<CrdVersion, string>();

let ajv: Ajv | undefined;

export function sharedAjv(): Ajv {
  if (ajv) return ajv;
  // strict: false — CRD schemas carry x-kubernetes-* and `nullable`, which are not JSON Schema.
  // verbose — errors carry their schema, so unknown-field messages can list the allowed fields.
  // code.optimize off: ajv's code optimiser took half of the compile time of the big CRDs
  // (Argo Rollout, Flagger Canary), and validation speed is not the bottleneck.
  ajv = new Ajv({ strict: false, allErrors: true, verbose: true, logger: false, code: { optimize: false } });
  addFormats(ajv);
  // OpenAPI formats the Kubernetes API server knows; ajv-formats has none of them.
  for (const format of ['int32', 'int64', 'float', 'double', 'byte', 'binary', 'password', 'int-or-string']) ajv.addFormat(format, true);
  // The API server does not check `url` (not among its structural-schema formats), and ajv's
  // regex rejects in-cluster hosts such as http://flagger-loadtester.flagger-system/: accept
  // what Node's URL parser accepts.
  ajv.addFormat('url', (value: string) => URL.canParse(value));
  ajv.addFormat('quantity', /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/);
  // Kubernetes durations are Go durations (`1m30s`), not ISO 8601 (`PT1M30S`) as in ajv-formats.
  ajv.addFormat('duration', /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/);
  return ajv;
}

export function compileCrd(version: CrdVersion): CompiledCrd {
  let key = keyOfVersion.get(version);
  if (!key) {
    key = createHash('sha256')
      .update(JSON.stringify(version.schema ?? null))
      .digest('hex');
    keyOfVersion.set(version, key);
  }
  const cached = compiled.get(key);
  if (cached) return cached;
  let result: CompiledCrd;
  try {
    result = { ok: true, validate: sharedAjv().compile(strictSchema(version.schema ?? { type: 'object' }) as object) };
  } catch (e) {
    result = { ok: false, reason: (e as Error).message };
  }
  compiled.set(key, result);
  return result;
}
