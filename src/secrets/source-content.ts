/**
 * A SOPS secret source checked against what the API server will accept once the Secret exists
 * (secret-rules.ts). Keys and required keys are plain text in the source and always checked;
 * values only when a key opened the file, and sizes even without one: an AES-GCM ciphertext is as
 * long as its plaintext, so the committed `ENC[…]` texts give the size exactly (for `stringData`)
 * or within two bytes (for base64 `data`, counted low so that a keyless run never over-reports).
 */
import { error, type Place, type Problem } from '../model/problem';
import type { SecretEntry, SecretSource } from './secret-source';
import { missingTypeKeys, secretKeyErrors, secretSizeErrors, secretValueErrors } from './secret-rules';
import { encryptedLength } from './sops-cipher';

/** Every problem of a source's content, each naming the source file and field. */
export function sourceContentProblems(source: SecretSource, place: Place = {}): Problem[] {
  const where: Place = { ...place, definition: source.file ?? place.definition };
  const problems: Problem[] = [];
  for (const entry of source.entries) {
    const keyErrors = secretKeyErrors(entry.key);
    if (keyErrors.length > 0) {
      problems.push(error('secrets/invalid-key', { ...where, field: `${entry.field}.${entry.key}` }, `Secret key ${JSON.stringify(entry.key)} ${keyErrors.join('; ')}`, 'rename the key (letters, digits, "-", "_", "."; not "." or "..", no "/") with `npm run secrets -- set` and remove the old one'));
    }
    const valueErrors = entry.value ? secretValueErrors(source.type, entry.key, entry.value) : [];
    if (valueErrors.length > 0) {
      problems.push(error('secrets/invalid-value', { ...where, field: `${entry.field}.${entry.key}` }, `the value of ${entry.key} ${valueErrors.join('; ')}`, `set it again with valid content: \`npm run secrets -- set <environment> <secret> ${entry.key} < config.json\``));
    }
  }
  const missing = missingTypeKeys(source.type, source.entries.map((e) => e.key));
  if (missing.length > 0) {
    problems.push(error('secrets/missing-type-key', { ...where, field: 'type' }, `a Secret of type ${source.type} must have ${missing.map((k) => `"${k}"`).join(', ')}, which the source lacks; the API server rejects it`, `add ${missing[0]} with \`npm run secrets -- set\`, or change the type`));
  }
  const size = source.entries.reduce((sum, entry) => sum + valueLength(entry), 0);
  const sizeErrors = secretSizeErrors(size);
  if (sizeErrors.length > 0) {
    problems.push(error('secrets/too-large', { ...where, field: 'data' }, `the Secret ${sizeErrors[0]}; the API server rejects it`, 'keep large files out of Secrets (mount them from a volume or fetch them at start-up), or split the secret'));
  }
  return problems;
}

/** Decoded bytes of one value: exact with the plaintext, else read from the ciphertext's length. */
function valueLength(entry: SecretEntry): number {
  if (entry.value) return entry.value.length;
  const stored = encryptedLength(entry.ciphertext) ?? 0;
  return entry.field === 'stringData' ? stored : Math.max(0, Math.floor((stored * 3) / 4) - 2);
}
