/**
 * `.sops.yaml` creation rules: which recipients and encryption rule a new file gets. Like sops
 * (`config/config.go`, `parseCreationRuleForFile`): rules are tried in order, the first whose
 * `path_regex` matches the file path relative to the config file wins, and a rule without
 * `path_regex` matches everything.
 */
import { parse } from 'yaml';
import { error, Place } from '../model/problem';
import { fail, ok, Result } from './result';
import { KMS_ARN } from './sops-metadata';
import { goRegExp, SopsEncryptionRuleOptions } from './sops-rule';

export interface SopsCreationRule extends SopsEncryptionRuleOptions {
  /** Go RE2 regex over the file path relative to `.sops.yaml`. @default - matches every file */
  readonly pathRegex?: string;
  /** age recipients (`age1…`), from a comma-separated string or a list. */
  readonly ageRecipients: readonly string[];
  /**
   * AWS KMS key ARNs (`kms:`, a comma-separated string or a list, as sops reads it). fleet cannot
   * wrap a data key for them (only AWS can): files for such a rule are created with the `sops`
   * CLI; fleet edits them afterwards with an age key of the same rule, keeping the data key.
   * @default [] */
  readonly kmsArns: readonly string[];
  /** @default false */
  readonly macOnlyEncrypted?: boolean;
}

const CONFIG_FIX = 'fix .sops.yaml: creation_rules is a list of {path_regex, age, kms, encrypted_regex}';

/** Parses the creation rules of a `.sops.yaml`. */
export function parseSopsConfig(text: string, options: { readonly file?: string } = {}): Result<readonly SopsCreationRule[]> {
  const place: Place = { definition: options.file ?? '.sops.yaml' };
  let raw: unknown;
  try {
    raw = parse(text);
  } catch {
    return fail(error('secrets/sops-config-invalid', place, 'the file is not valid YAML', CONFIG_FIX));
  }
  const rules = (raw as { creation_rules?: unknown } | null)?.creation_rules;
  if (!Array.isArray(rules)) return fail(error('secrets/sops-config-invalid', place, 'creation_rules is missing or not a list', CONFIG_FIX));
  const parsed: SopsCreationRule[] = [];
  for (const [index, rule] of rules.entries()) {
    const at = { ...place, field: `creation_rules[${index}]` };
    if (typeof rule !== 'object' || rule === null) return fail(error('secrets/sops-config-invalid', at, 'a rule must be a mapping', CONFIG_FIX));
    const r = rule as Record<string, unknown>;
    if (r.key_groups !== undefined) {
      return fail(error('secrets/sops-config-invalid', at, 'key_groups (Shamir) is not supported', 'list recipients in a flat `age:` field'));
    }
    if (r.path_regex !== undefined && (typeof r.path_regex !== 'string' || goRegExp(r.path_regex) === null)) {
      return fail(error('secrets/sops-config-invalid', at, 'path_regex does not compile', CONFIG_FIX));
    }
    const kmsArns = recipientList(r.kms).map((entry) => entry.split('+')[0]);
    const badArn = kmsArns.find((arn) => !KMS_ARN.test(arn));
    if (badArn !== undefined) {
      return fail(error('secrets/sops-config-invalid', { ...at, field: `creation_rules[${index}].kms` }, `${JSON.stringify(badArn)} is not an AWS KMS key ARN`, 'use the key\'s ARN as the KMS console shows it: arn:aws:kms:<region>:<account>:key/<key-id>'));
    }
    parsed.push({
      pathRegex: typeof r.path_regex === 'string' && r.path_regex !== '' ? r.path_regex : undefined,
      ageRecipients: recipientList(r.age),
      kmsArns,
      encryptedRegex: optionalString(r.encrypted_regex),
      unencryptedRegex: optionalString(r.unencrypted_regex),
      encryptedSuffix: optionalString(r.encrypted_suffix),
      unencryptedSuffix: optionalString(r.unencrypted_suffix),
      macOnlyEncrypted: r.mac_only_encrypted === true,
    });
  }
  return ok(parsed);
}

/**
 * The first rule matching `filePath` (relative to the `.sops.yaml` directory, `/`-separated;
 * an absolute path under `configDir` is made relative first, as sops does).
 */
export function creationRuleFor(
  rules: readonly SopsCreationRule[],
  filePath: string,
  options: { readonly configDir?: string } = {},
): Result<SopsCreationRule> {
  const prefix = options.configDir ? `${options.configDir.replace(/\/+$/, '')}/` : undefined;
  const relative = prefix && filePath.startsWith(prefix) ? filePath.slice(prefix.length) : filePath;
  const rule = rules.find((r) => r.pathRegex === undefined || goRegExp(r.pathRegex)?.test(relative));
  if (rule) return ok(rule);
  return fail(
    error(
      'secrets/sops-no-creation-rule',
      { definition: relative },
      'no creation rule in .sops.yaml matches this file',
      'add a creation_rules entry whose path_regex matches it, or move the file under secrets/<environment>/',
    ),
  );
}

function recipientList(value: unknown): readonly string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((item) => String(item).trim()).filter((item) => item !== '');
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
