import type { FleetSpec } from '../../model/fleet';
import { loadAgeIdentities, readFileIfExists } from '../../secrets';
import { renderFleet, type RenderResult } from '../render-fleet';
import { prepareSecrets, type PreparedSecrets, type PrepareSecretsOptions } from './prepare-secrets';

export interface FleetSecretsOptions extends Omit<PrepareSecretsOptions, 'identities'> {
  /** Environment variables age identities are found in, like sops: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME, HOME. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/**
 * The secrets stage as commands run it: identities from the environment (none at all is normal
 * in CI — only a secret that must be sealed or encrypted again needs one, and that problem says
 * so), then `prepareSecrets`.
 */
export async function prepareFleetSecrets(fleet: FleetSpec, root: string, options: FleetSecretsOptions): Promise<PreparedSecrets> {
  const { env, ...rest } = options;
  const identities = loadAgeIdentities({ env, readFile: readFileIfExists });
  const prepared = await prepareSecrets(fleet, root, { ...rest, identities: identities.identities });
  const identityProblems = identities.problems.filter((p) => p.code !== 'secrets/age-identity-missing');
  return { ...prepared, problems: [...identityProblems, ...prepared.problems] };
}

export interface RenderWithSecretsResult extends RenderResult {
  readonly secretStats: PreparedSecrets['stats'];
}

/** The secrets stage, then the whole render with its objects (what `npm run check` compares). */
export async function renderWithSecrets(fleet: FleetSpec, root: string, options: FleetSecretsOptions): Promise<RenderWithSecretsResult> {
  const prepared = await prepareFleetSecrets(fleet, root, options);
  const result = renderFleet(fleet, { clusters: options.clusters, secrets: prepared.secrets });
  const problems = [...result.problems, ...prepared.problems];
  const failed = problems.some((p) => p.severity === 'error' && !p.waived);
  return { ...result, files: failed ? new Map() : result.files, problems, secretStats: prepared.stats };
}
