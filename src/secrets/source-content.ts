/**
 * A SOPS secret source checked against what the API server will accept once the Secret exists
 * (secret-rules.ts). Keys and required keys are plain text in the source and always checked;
 * values only when a key opened the file, and sizes even without one: an AES-GCM ciphertext is as
 * long as its plaintext, so the committed `ENC[…]` texts give the size exactly (for `stringData`)
 * or within two bytes (for base64 `data`, counted low so that a keyless run never over-reports).
 */
import { error, warning, type Place, type Problem } from '../model/problem';
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
    // sops leaves an empty value unencrypted (''), so this is found without a key. Seed 004 wrote
    // `echo -n "<atlas url>" .sops/MONGO_URL.enc` (no `>`): the file stayed empty and Reaction
    // got an empty MONGO_URL.
    if (entry.ciphertext === '') {
      problems.push(error('secrets/empty-value', { ...where, field: `${entry.field}.${entry.key}` }, `the value of ${entry.key} is empty: the pod would start with an empty ${entry.key}`, `set it: \`npm run secrets -- set <environment> <secret> ${entry.key}\`, or remove the key with \`npm run secrets -- remove\``));
    }
    const placeholder = entry.value ? unreplacedPlaceholder(entry.value) : undefined;
    if (placeholder !== undefined) {
      problems.push(warning('secrets/placeholder-value', { ...where, field: `${entry.field}.${entry.key}` }, `the value of ${entry.key} still holds the template placeholder ${JSON.stringify(placeholder)}`, `set the real value: \`npm run secrets -- set <environment> <secret> ${entry.key}\``));
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

/**
 * A how-to placeholder copied into a value instead of the real thing: `<random_string`,
 * `< hydra_passport>`, `<atlas url>` (seed 004's Hydra and Mongo instructions). Only a `<`
 * followed by words and then `>`, `@`, `:`, `/` or the end counts, so XML, PEM armor
 * (`-----BEGIN`) and comparison operators in config values do not. Never returns the value,
 * only the placeholder itself (template text, not a secret).
 */
function unreplacedPlaceholder(value: Uint8Array): string | undefined {
  const match = /<\s?([a-z][a-z0-9]*(?:[ _-][a-z0-9]+)*)\s?(>|(?=[@:/])|$)/i.exec(Buffer.from(value).toString('utf8'));
  if (!match) return undefined;
  const words = match[1];
  // An XML/HTML tag (`<config>`, `<br>`) is one word with no separator: not a placeholder.
  if (match[2] === '>' && !/[ _-]/.test(words)) return undefined;
  return match[0];
}

/** Decoded bytes of one value: exact with the plaintext, else read from the ciphertext's length. */
function valueLength(entry: SecretEntry): number {
  if (entry.value) return entry.value.length;
  const stored = encryptedLength(entry.ciphertext) ?? 0;
  return entry.field === 'stringData' ? stored : Math.max(0, Math.floor((stored * 3) / 4) - 2);
}
