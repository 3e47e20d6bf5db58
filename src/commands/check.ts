import type { FleetSpec } from '../model/fleet';
import { withOutputLock } from '../render/output-lock';
import { verifyOutput } from '../render/verify-output';
import { describeSchemaSources } from '../validate/schema/validate-schema';
import { VALIDATION_CODE_PREFIXES } from '../validate/rules';
import { resolveOptions } from '../validate/validate-options';
import { FleetError } from '../model/problem';
import { loadSampleFleet, parseCommandLine, printUsage, reportProblems, runCommand, unknownClusters, type CommandLineSpec } from './lib/cli';
import { createProgress } from './lib/progress';

/**
 * `npm run check [-- --cluster <name>…] [--no-cache]`: leak scan, drift, `kubectl kustomize` of every
 * Flux path (reusing builds whose input files have not changed, unless `--no-cache`), and validation (schemas, references, policy) of what kustomize built. Prints every
 * problem, then one line: `N objects in M clusters, E errors, W warnings`; exits 1 on errors.
 */
export const CHECK_COMMAND: CommandLineSpec = {
  name: 'check',
  usage: `usage: npm run check [-- --cluster <name>…] [--no-cache]
  --cluster <name>  check only this cluster (repeatable)
  --no-cache        build every Flux path with kubectl kustomize, reusing no cached build`,
  options: { cluster: { type: 'string', multiple: true }, 'no-cache': { type: 'boolean' } },
};

export async function check(argv: readonly string[], root = process.cwd(), fleet?: FleetSpec): Promise<number> {
  const { help, flags } = parseCommandLine(CHECK_COMMAND, argv);
  if (help) return printUsage(CHECK_COMMAND);
  const model = fleet ?? (await loadSampleFleet());
  const unknown = unknownClusters(model, flags.get('cluster'));
  if (unknown.length > 0) throw new FleetError(unknown);
  const started = process.hrtime.bigint();
  const progress = createProgress();
  // Check reads the tree a synth writes and prunes its kustomize cache: holding the output lock
  // keeps it from comparing against a half-written tree (spurious drift) or racing a writer.
  const { problems, summary, kustomize } = await withOutputLock(root, (lock) => {
    reportProblems(lock.notices);
    return verifyOutput(model, root, { env: process.env, clusters: flags.get('cluster'), kustomizeCache: !flags.has('no-cache'), progress: progress.update });
  }).finally(progress.done);
  reportProblems(problems);
  const checked = model.clusters.filter((c) => !flags.get('cluster') || flags.get('cluster')?.includes(c.name));
  if (kustomize.built + kustomize.reused > 0) process.stdout.write(`kubectl kustomize: ${kustomize.built} Flux paths built, ${kustomize.reused} unchanged and reused\n`);
  for (const line of describeSchemaSources(checked, resolveOptions({ projectRoot: root }).kubernetesSchemaDirectory)) process.stdout.write(`${line}\n`);
  // Drift and kustomize problems come on top of the validation findings the summary counts.
  const extra = problems.filter((p) => !VALIDATION_CODE_PREFIXES.some((prefix) => p.code.startsWith(prefix)));
  const errors = summary.errors + extra.filter((p) => p.severity === 'error' && !p.waived).length;
  const warnings = summary.warnings + extra.filter((p) => p.severity === 'warning' && !p.waived).length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const waived = summary.waived > 0 ? ` (${summary.waived} waived)` : '';
  process.stdout.write(`${summary.objects} objects in ${summary.clusters} clusters, ${errors} errors, ${warnings} warnings${waived} (${ms.toFixed(0)} ms)\n`);
  return errors > 0 ? 1 : 0;
}

if (require.main === module) runCommand(() => check(process.argv.slice(2)));
