import { checkFleet } from '../model/check-model';
import type { FleetSpec } from '../model/fleet';
import { FleetError, type Problem } from '../model/problem';
import { fsProblem } from './fs-problem';
import { withOutputLock } from './output-lock';
import { prepareFleetSecrets } from './secrets';
import { synthesize, type SynthesizeReport } from './synthesize';

export interface SynthPipelineOptions {
  /** Environment to read age identities from (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE). */
  readonly env: NodeJS.ProcessEnv;
  /** @default - every cluster */
  readonly clusters?: readonly string[];
  /** Render every unit, ignoring the unit cache. @default false */
  readonly full?: boolean;
  readonly generator: string;
  /** Where dist/ and clusters/ are written (and previous secrets read). @default - the project root */
  readonly out?: string;
}

export interface SynthPipelineReport extends SynthesizeReport {
  readonly secretProblems: readonly Problem[];
  readonly secretStats: { readonly objects: number; readonly renewed: number };
}

/**
 * Everything `npm run synth` does, for every command that writes output (synth, release,
 * promote): secrets first (async: age keys, sealing, the committed output they reuse — without
 * a key every unchanged secret is reused and a changed one stops here), then render, validate
 * and write. Any error throws a FleetError before a file is touched. The output tree is locked
 * for the whole run: the committed secrets it reads are the ones it replaces.
 */
export async function runSynthPipeline(fleet: FleetSpec, root: string, options: SynthPipelineOptions): Promise<SynthPipelineReport> {
  const out = options.out ?? root;
  try {
    return await withOutputLock(out, async (lock) => {
      const report = await runLocked(fleet, root, out, options);
      return { ...report, write: { ...report.write, notices: [...lock.notices, ...report.write.notices] } };
    });
  } catch (cause) {
    const problem = fsProblem(cause, out);
    if (problem) throw new FleetError([problem]);
    throw cause;
  }
}

async function runLocked(fleet: FleetSpec, root: string, out: string, options: SynthPipelineOptions): Promise<SynthPipelineReport> {
  const secrets = await prepareFleetSecrets(fleet, root, { env: options.env, clusters: options.clusters, out });
  const secretErrors = secrets.problems.filter((p) => p.severity === 'error' && !p.waived);
  if (secretErrors.length > 0) throw new FleetError([...checkFleet(fleet).filter((p) => p.severity === 'error' && !p.waived), ...secretErrors]);
  const report = synthesize(fleet, out, { clusters: options.clusters, full: options.full, generator: options.generator, secrets: secrets.secrets });
  return { ...report, secretProblems: secrets.problems, secretStats: secrets.stats };
}
