import { configMapKeyErrors, MAX_SECRET_SIZE } from '../../model/kubernetes-rules';
import { error, type Problem } from '../../model/problem';
import { encryptedLength } from '../../secrets/sops-cipher';
import { missingTypeKeys, secretValueErrors } from '../../secrets/secret-rules';
import { childPath } from '../field-path';
import { record, str } from '../json';
import type { ValidationContext } from '../validation-context';
import type { KubeObject } from '../../model/kube-object';

/**
 * `api/invalid-key`, `api/too-large`, `api/invalid-secret`: ConfigMaps, Secrets (plain or SOPS
 * encrypted) and SealedSecrets hold only keys the API server accepts (IsConfigMapKey), at most
 * 1 MiB of data, and a Secret has the keys and content its type needs (ValidateSecret and
 * ValidateConfigMap, pkg/apis/core/validation/validation.go). A SealedSecret's keys and type
 * become its Secret's: the controller's create would fail there, out of sight of the pull request.
 */
export function checkConfigData(ctx: ValidationContext): Problem[] {
  return ctx.index.objects.flatMap((obj) => {
    if (obj.kind === 'ConfigMap' && obj.apiVersion === 'v1') return checkMaps(ctx, obj, ['data', 'binaryData']);
    if (obj.kind === 'Secret' && obj.apiVersion === 'v1') return [...checkMaps(ctx, obj, ['data', 'stringData']), ...checkSecretType(ctx, obj, str(obj.type), secretValues(obj))];
    if (obj.kind === 'SealedSecret') {
      const spec = record(obj.spec);
      const keys = Object.keys(record(spec.encryptedData));
      return [...checkKeys(ctx, obj, 'spec.encryptedData', keys), ...checkSecretType(ctx, obj, str(record(spec.template).type), new Map(keys.map((k) => [k, undefined])))];
    }
    return [];
  });
}

function checkKeys(ctx: ValidationContext, obj: KubeObject, path: string, keys: readonly string[]): Problem[] {
  return keys.flatMap((key) => {
    const errors = configMapKeyErrors(key);
    return errors.length === 0 ? [] : [error('api/invalid-key', ctx.placeOf(obj, childPath(path, key)), `${obj.kind} ${obj.metadata.name} has key ${JSON.stringify(key)}, which ${errors.join('; ')}; the API server rejects it.`, 'Rename the key: letters, digits, "-", "_" and "." only, not "." or "..".')];
  });
}

function checkMaps(ctx: ValidationContext, obj: KubeObject, fields: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  let size = 0;
  for (const field of fields) {
    const map = record(obj[field]);
    problems.push(...checkKeys(ctx, obj, field, Object.keys(map)));
    for (const value of Object.values(map)) size += typeof value === 'string' ? valueBytes(obj, field, value) : 0;
  }
  if (size > MAX_SECRET_SIZE) {
    problems.push(error('api/too-large', ctx.placeOf(obj, fields[0]), `${obj.kind} ${obj.metadata.name} holds ${size} bytes of data, more than the ${MAX_SECRET_SIZE} bytes (1 MiB) the API server accepts.`, 'Keep large files out of ConfigMaps and Secrets (a volume, or fetched at start-up), or split the object.'));
  }
  return problems;
}

/** Bytes the API server counts for a value: decoded base64 for data/binaryData, text otherwise; SOPS values by ciphertext length. */
function valueBytes(obj: KubeObject, field: string, value: string): number {
  const sops = encryptedLength(value);
  const encoded = field === 'data' && obj.kind === 'Secret' ? true : field === 'binaryData';
  if (value !== '' && sops !== undefined) return encoded ? Math.max(0, Math.floor((sops * 3) / 4) - 2) : sops;
  return encoded ? Buffer.from(value, 'base64').length : Buffer.byteLength(value, 'utf8');
}

/** Plain values of a Secret by key (undefined when SOPS-encrypted). */
function secretValues(obj: KubeObject): Map<string, Buffer | undefined> {
  const values = new Map<string, Buffer | undefined>();
  for (const [key, value] of Object.entries(record(obj.data))) values.set(key, typeof value === 'string' && encryptedLength(value) === undefined ? Buffer.from(value, 'base64') : undefined);
  for (const [key, value] of Object.entries(record(obj.stringData))) values.set(key, typeof value === 'string' && encryptedLength(value) === undefined ? Buffer.from(value, 'utf8') : undefined);
  return values;
}

function checkSecretType(ctx: ValidationContext, obj: KubeObject, type: string | undefined, values: ReadonlyMap<string, Buffer | undefined>): Problem[] {
  const problems: Problem[] = [];
  const missing = missingTypeKeys(type, [...values.keys()]);
  if (missing.length > 0) {
    problems.push(error('api/invalid-secret', ctx.placeOf(obj, 'type'), `${obj.kind} ${obj.metadata.name} has type ${type} but lacks ${missing.map((k) => `"${k}"`).join(', ')}; the API server rejects the Secret.`, 'Add the key, or change the type.'));
  }
  for (const [key, value] of values) {
    const errors = value ? secretValueErrors(type, key, value) : [];
    if (errors.length > 0) problems.push(error('api/invalid-secret', ctx.placeOf(obj, childPath('data', key)), `${obj.kind} ${obj.metadata.name}: the value of ${key} ${errors.join('; ')}.`, 'Store registry credentials as {"auths": {...}} JSON.'));
  }
  return problems;
}
