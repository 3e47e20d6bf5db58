import { warning, type Problem } from '../model/problem';
import { creationRuleFor, parseSopsConfig } from './sops-config';
import { parseSopsFile } from './sops-document';

/**
 * `secrets/kms-not-wrapped` (warning): source files whose `.sops.yaml` creation rule names AWS
 * KMS keys, but whose data key is not wrapped for them (no `sops.kms` entry with that ARN).
 *
 * Only AWS can wrap a data key for a KMS key, so such files are made with age alone (fleet's
 * `secrets set` refuses to create them, `secrets/kms-needs-sops-cli`; a sample repository has no
 * AWS account), and `secrets rotate` re-wraps only age. Until someone with AWS credentials runs
 * `sops updatekeys`, whoever relies on the KMS key — the seed 004 workflow of
 * `sops -d` with the account's credentials, a Flux decrypting through its IAM role — cannot open
 * them. Synth itself is unaffected (it reads the age entries), hence a warning, once per
 * environment and key, naming the files and the command.
 */
export const KMS_NOT_WRAPPED = 'secrets/kms-not-wrapped';

export interface SourceFileText {
  /** Repository path, e.g. `secrets/staging/hydra.sops.yaml` (matched against `path_regex`). */
  readonly path: string;
  readonly text: string;
}

/**
 * The warnings for one environment's source files under `.sops.yaml` (`config` is its text;
 * undefined when the project has none). Files that are not SOPS files, and a `.sops.yaml` that
 * does not parse, are reported where they are read (`secrets/sops-malformed`,
 * `secrets/sops-config-invalid`), not here.
 */
export function kmsCoverageProblems(config: string | undefined, environment: string, files: readonly SourceFileText[]): Problem[] {
  if (config === undefined) return [];
  const rules = parseSopsConfig(config, { file: '.sops.yaml' });
  if (!rules.ok) return [];
  const unwrapped = new Map<string, string[]>();
  for (const file of files) {
    const rule = creationRuleFor(rules.value, file.path);
    if (!rule.ok || rule.value.kmsArns.length === 0) continue;
    const parsed = parseSopsFile(file.text, { definition: file.path });
    if (!parsed.ok) continue;
    const wrapped = new Set((parsed.value.metadata.kms ?? []).map((key) => key.arn));
    for (const arn of rule.value.kmsArns.filter((a) => !wrapped.has(a))) unwrapped.set(arn, [...(unwrapped.get(arn) ?? []), file.path]);
  }
  return [...unwrapped.entries()].map(([arn, paths]) => {
    const account = /:(\d{12}):/.exec(arn)?.[1] ?? '<account>';
    return warning(
      KMS_NOT_WRAPPED,
      { environment, field: 'sops.kms', definition: '.sops.yaml' },
      `${paths.join(', ')} ${paths.length === 1 ? 'is' : 'are'} not wrapped for AWS KMS key ${arn}, which .sops.yaml names for ${paths.length === 1 ? 'it' : 'them'}: only holders of the ${environment} age key can open ${paths.length === 1 ? 'it' : 'them'}, not AWS credentials of account ${account}`,
      `with AWS credentials of account ${account} (allowed kms:Encrypt on the key) and the ${environment} age key in SOPS_AGE_KEY_FILE, run \`sops updatekeys -y ${paths.join(' ')}\` (it adds the kms entry and keeps the data key and values), then \`npm run synth\` with that key, and commit both`,
    );
  });
}
