import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { error, type Place, type Problem } from '../../model/problem';
import {
  creationRuleFor,
  encryptSops,
  fail,
  listSopsKeys,
  ok,
  parseSopsConfig,
  MAX_SECRET_SIZE,
  readFileIfExists,
  readSecretSource,
  removeSopsValue,
  secretKeyErrors,
  secretValueErrors,
  SETTABLE_SECRET_TYPES,
  sourceContentProblems,
  rotateSopsRecipients,
  setSopsValue,
  type Result,
  type SopsCreationRule,
} from '../../secrets';
import { ENVIRONMENT_NAME, listSecretEnvironments, listSecretSources, SECRET_NAME, secretSourcePath } from '../../render/secrets/source-layout';

/**
 * What `npm run secrets` does to the sources in `secrets/<environment>/<secret>.sops.yaml`:
 * set, list, remove one key, re-wrap data keys for new recipients. Values are only ever
 * handled as bytes passed in; no function here prints, logs or returns one.
 */
export interface SecretFilesContext {
  /** Project root (holding `.sops.yaml` and `secrets/`). */
  readonly root: string;
  /** age identities able to open the files being edited. */
  readonly identities: readonly string[];
  /** Clock for sops' `lastmodified`; injected by tests. @default - the system clock */
  readonly now?: () => Date;
}

export const SOPS_CONFIG_FILE = '.sops.yaml';
const DOCKER_CONFIG_JSON_KEY = '.dockerconfigjson';
const SECRET_FIELDS = ['stringData', 'data'] as const;
type SecretField = (typeof SECRET_FIELDS)[number];

export interface SetSecretOptions {
  /** Secret `type` of a new file. @default 'kubernetes.io/dockerconfigjson' for key `.dockerconfigjson`, else 'Opaque' */
  readonly type?: string;
}

export interface SetSecretOutcome {
  readonly file: string;
  readonly created: boolean;
  /** `stringData` for UTF-8 text, `data` (base64) for binary values. */
  readonly field: SecretField;
  /** False when the key already held exactly this value (the file is left untouched). */
  readonly changed: boolean;
}

/**
 * Sets one key. A new file is encrypted with the `.sops.yaml` creation rule for its path; an
 * existing one is edited in place (only the key's ciphertext and the MAC change), which needs an
 * identity that opens it.
 */
export async function setSecretValue(ctx: SecretFilesContext, environment: string, secret: string, key: string, value: Buffer, options: SetSecretOptions = {}): Promise<Result<SetSecretOutcome>> {
  const names = checkNames(environment, secret, key);
  if (names.length > 0) return fail(...names);
  const file = secretSourcePath(environment, secret);
  const place: Place = { environment, object: `Secret/${secret}`, field: key, definition: file };
  if (value.length === 0) return fail(error('secrets/empty-value', place, 'the value is empty', 'pipe or type the value; remove the key with `npm run secrets -- remove` instead'));
  const text = readFileIfExists(join(ctx.root, file));
  const refused = checkValue(place, key, value, options.type ?? (text === undefined ? defaultType(key) : secretType(text)));
  if (refused.length > 0) return fail(...refused);
  const binary = !isText(value);

  if (text === undefined) {
    const rule = creationRule(ctx.root, file);
    if (!rule.ok) return rule;
    if (rule.value.kmsArns.length > 0) return fail(kmsNeedsSopsCli(file, rule.value.kmsArns));
    const field: SecretField = binary ? 'data' : 'stringData';
    const type = options.type ?? defaultType(key);
    const manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret }, type, [field]: { [key]: encode(value, field) } };
    const encrypted = await encryptSops(manifest, {
      recipients: rule.value.ageRecipients,
      encryptedRegex: rule.value.encryptedRegex,
      unencryptedRegex: rule.value.unencryptedRegex,
      encryptedSuffix: rule.value.encryptedSuffix,
      unencryptedSuffix: rule.value.unencryptedSuffix,
      macOnlyEncrypted: rule.value.macOnlyEncrypted,
      now: ctx.now,
      file,
    });
    if (!encrypted.ok) return encrypted;
    writeAtomically(join(ctx.root, file), encrypted.value);
    return ok({ file, created: true, field, changed: true });
  }

  if (options.type !== undefined && options.type !== secretType(text)) {
    return fail(error('secrets/type-fixed', { ...place, field: 'type' }, `${file} already exists with type "${secretType(text) ?? 'Opaque'}"`, 'the type is chosen when a secret is created: remove the file and set its keys again'));
  }
  const existing = fieldOf(text, key, file);
  if (!existing.ok) return existing;
  // A key keeps its field unless a binary value must move from stringData to data.
  const field: SecretField = existing.value === 'data' || binary ? 'data' : 'stringData';
  let edited = text;
  if (existing.value !== undefined && existing.value !== field) {
    const removed = await removeSopsValue(edited, [existing.value, key], { identities: ctx.identities, now: ctx.now, file });
    if (!removed.ok) return removed;
    edited = removed.value;
  }
  const set = await setSopsValue(edited, [field, key], encode(value, field), { identities: ctx.identities, now: ctx.now, file });
  if (!set.ok) return set;
  if (set.value === text) return ok({ file, created: false, field, changed: false });
  // The whole Secret as it would be now: its total size and required keys, read back with the key.
  const after = await readSecretSource(set.value, { identities: ctx.identities, file });
  if (!after.ok) return after;
  // Warnings (a template placeholder) are synth's to report; set refuses only what the API server would.
  const content = sourceContentProblems(after.value, { environment, object: `Secret/${secret}` }).filter((p) => p.code !== 'secrets/missing-type-key' && p.severity === 'error');
  if (content.length > 0) return fail(...content);
  writeAtomically(join(ctx.root, file), set.value);
  return ok({ file, created: false, field, changed: true });
}

export interface SecretKeys {
  readonly secret: string;
  readonly file: string;
  readonly type?: string;
  /** Key names only; values are never read. */
  readonly keys: readonly string[];
}

/** The keys of one secret, or of every secret of an environment. Needs no identity. */
export function listSecretKeys(root: string, environment: string, secret?: string): Result<readonly SecretKeys[]> {
  const secrets = secret === undefined ? listSecretSources(root, environment) : [secret];
  const listed: SecretKeys[] = [];
  for (const name of secrets) {
    const file = secretSourcePath(environment, name);
    const text = readFileIfExists(join(root, file));
    if (text === undefined) return fail(missingFile(environment, name, file));
    const keys = listSopsKeys(text, { file });
    if (!keys.ok) return keys;
    const names = keys.value.filter((k) => k.path.length === 2 && (SECRET_FIELDS as readonly string[]).includes(k.path[0])).map((k) => k.path[1]);
    listed.push({ secret: name, file, type: secretType(text), keys: [...new Set(names)].sort() });
  }
  return ok(listed);
}

/** Removes one key (the file stays, possibly with no keys left). */
export async function removeSecretKey(ctx: SecretFilesContext, environment: string, secret: string, key: string): Promise<Result<{ readonly file: string }>> {
  const file = secretSourcePath(environment, secret);
  const text = readFileIfExists(join(ctx.root, file));
  if (text === undefined) return fail(missingFile(environment, secret, file));
  const field = fieldOf(text, key, file);
  if (!field.ok) return field;
  if (field.value === undefined) {
    return fail(error('secrets/sops-key-missing', { environment, object: `Secret/${secret}`, field: key, definition: file }, `${file} has no key "${key}"`, `list its keys with \`npm run secrets -- list ${environment} ${secret}\``));
  }
  const removed = await removeSopsValue(text, [field.value, key], { identities: ctx.identities, now: ctx.now, file });
  if (!removed.ok) return removed;
  writeAtomically(join(ctx.root, file), removed.value);
  return ok({ file });
}

/**
 * Re-wraps each file's data key for the recipients its `.sops.yaml` creation rule names now
 * (sops `updatekeys`). Values and ciphertexts stay as they are, so committed SealedSecrets and
 * cluster SOPS files are reused; files already encrypted for exactly those recipients are left
 * untouched.
 */
export async function rotateSecretRecipients(ctx: SecretFilesContext, environment?: string): Promise<Result<readonly { readonly file: string; readonly rotated: boolean }[]>> {
  const environments = environment === undefined ? listSecretEnvironments(ctx.root) : [environment];
  const outcomes: { file: string; rotated: boolean }[] = [];
  const problems: Problem[] = [];
  for (const env of environments) {
    for (const secret of listSecretSources(ctx.root, env)) {
      const file = secretSourcePath(env, secret);
      const rule = creationRule(ctx.root, file);
      if (!rule.ok) {
        problems.push(...rule.problems);
        continue;
      }
      const text = readFileSync(join(ctx.root, file), 'utf8');
      if (sameSet(recipientsOf(text), rule.value.ageRecipients)) {
        outcomes.push({ file, rotated: false });
        continue;
      }
      const rotated = await rotateSopsRecipients(text, rule.value.ageRecipients, { identities: ctx.identities, file });
      if (!rotated.ok) {
        problems.push(...rotated.problems);
        continue;
      }
      writeAtomically(join(ctx.root, file), rotated.value);
      outcomes.push({ file, rotated: true });
    }
  }
  return problems.length > 0 ? fail(...problems) : ok(outcomes);
}

/** The creation rule for a source file; it must leave the manifest's identity fields readable. */
function creationRule(root: string, file: string): Result<SopsCreationRule> {
  const config = readFileIfExists(join(root, SOPS_CONFIG_FILE));
  if (config === undefined) {
    return fail(error('secrets/sops-config-missing', { definition: SOPS_CONFIG_FILE }, 'there is no .sops.yaml in the project root', 'add one with a creation rule per environment: path_regex, age recipients and encrypted_regex: ^(data|stringData)$'));
  }
  const rules = parseSopsConfig(config, { file: SOPS_CONFIG_FILE });
  if (!rules.ok) return rules;
  const rule = creationRuleFor(rules.value, file);
  if (!rule.ok) return rule;
  if (rule.value.encryptedRegex === undefined) {
    return fail(
      error(
        'secrets/sops-rule-unsuitable',
        { definition: SOPS_CONFIG_FILE, field: file },
        `the creation rule for ${file} would encrypt apiVersion, kind and metadata too, so synth could not read the Secret without a key`,
        'add `encrypted_regex: ^(data|stringData)$` to that rule in .sops.yaml',
      ),
    );
  }
  if (rule.value.ageRecipients.length === 0) {
    return fail(error('secrets/sops-rule-unsuitable', { definition: SOPS_CONFIG_FILE, field: file }, `the creation rule for ${file} names no age recipient`, 'list the environment key (`age: age1…`) in that rule'));
  }
  return rule;
}

/**
 * Only AWS can wrap a data key for a KMS key, so fleet cannot create a file whose rule names one:
 * a file with only the age entries would be undecryptable for a cluster that decrypts through
 * KMS. The `sops` CLI creates it (with AWS credentials); fleet then edits it with the rule's age
 * key, keeping the data key and with it the `kms` entries.
 */
function kmsNeedsSopsCli(file: string, arns: readonly string[]): Problem {
  return error(
    'secrets/kms-needs-sops-cli',
    { definition: SOPS_CONFIG_FILE, field: file },
    `the creation rule for ${file} names AWS KMS key ${arns.join(', ')}; only AWS can wrap the data key for it, so fleet cannot create this file`,
    'create it once with AWS credentials of the key\'s account: `sops --encrypt --input-type yaml --output-type yaml secret.yaml > ' + file + '` (sops reads .sops.yaml); afterwards `npm run secrets -- set` edits it with the rule\'s age key',
  );
}

/** Which field holds the key, if any. */
function fieldOf(text: string, key: string, file: string): Result<SecretField | undefined> {
  const keys = listSopsKeys(text, { file });
  if (!keys.ok) return keys;
  const found = keys.value.find((k) => k.path.length === 2 && k.path[1] === key && (SECRET_FIELDS as readonly string[]).includes(k.path[0]));
  return ok(found?.path[0] as SecretField | undefined);
}

function checkNames(environment: string, secret: string, key: string): Problem[] {
  const problems: Problem[] = [];
  const check = (ok: boolean, what: string, value: string, rule: string) => {
    if (!ok) problems.push(error('secrets/invalid-name', { field: what }, `${what} "${value}" is not valid`, rule));
  };
  check(ENVIRONMENT_NAME.test(environment), 'environment', environment, 'use the environment name: lower-case letters, digits and "-"');
  check(SECRET_NAME.test(secret), 'secret', secret, 'a Secret name is lower-case letters, digits, "-" and ".", starting and ending with a letter or digit');
  const keyErrors = secretKeyErrors(key);
  if (keyErrors.length > 0) problems.push(error('secrets/invalid-name', { field: 'key' }, `key ${JSON.stringify(key)} ${keyErrors.join('; ')}`, 'a Secret key is letters, digits, "-", "_" and "." (not "." or "..", and not starting with "..")'));
  return problems;
}

function defaultType(key: string): string {
  return key === DOCKER_CONFIG_JSON_KEY ? 'kubernetes.io/dockerconfigjson' : 'Opaque';
}

/**
 * What the API server or kubelet would refuse about one value, before anything is encrypted: an
 * unknown type, a value over a Secret's 1 MiB, registry credentials that do not parse.
 */
function checkValue(place: Place, key: string, value: Buffer, type: string | undefined): Problem[] {
  if (type !== undefined && !SETTABLE_SECRET_TYPES.includes(type)) {
    return [error('secrets/unknown-type', { ...place, field: 'type' }, `unknown Secret type "${type}"`, `use one of: ${SETTABLE_SECRET_TYPES.join(', ')}`)];
  }
  if (value.length > MAX_SECRET_SIZE) {
    return [error('secrets/too-large', place, `the value is ${value.length} bytes; a whole Secret may hold at most ${MAX_SECRET_SIZE} bytes (1 MiB)`, 'keep large files out of Secrets (mount them from a volume), or split the value')];
  }
  const errors = secretValueErrors(type, key, value);
  return errors.length === 0 ? [] : [error('secrets/invalid-value', place, `the value of ${key} ${errors.join('; ')}`, 'pass registry credentials as written by `docker login` / `kubectl create secret docker-registry --dry-run=client -o json`: {"auths": {"registry.example.com": {"auth": "…"}}}')];
}

function missingFile(environment: string, secret: string, file: string): Problem {
  return error('secrets/missing-secret', { environment, object: `Secret/${secret}`, definition: file }, `${file} does not exist`, `create it with \`npm run secrets -- set ${environment} ${secret} <key>\``);
}

function encode(value: Buffer, field: SecretField): string {
  return field === 'data' ? value.toString('base64') : value.toString('utf8');
}

/** UTF-8 text without NUL bytes goes to stringData, where reviewers see a readable key. */
function isText(value: Buffer): boolean {
  try {
    return !new TextDecoder('utf-8', { fatal: true }).decode(value).includes('\0');
  } catch {
    return false;
  }
}

function secretType(text: string): string | undefined {
  const type = (parse(text) as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type : undefined;
}

function recipientsOf(text: string): string[] {
  const age = (parse(text) as { sops?: { age?: { recipient?: unknown }[] } } | null)?.sops?.age;
  return Array.isArray(age) ? age.map((a) => String(a.recipient)) : [];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = [...new Set(a)].sort();
  const y = [...new Set(b)].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Write next to the target, then rename: a crash never leaves half a secrets file. */
function writeAtomically(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.fleet-tmp-${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, path);
}
