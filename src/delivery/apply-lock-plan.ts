import type { FleetSpec } from '../model/fleet';
import { formatProblem, type Problem } from '../model/problem';
import { RELEASE_LOCK_FILE } from '../model/release-lock-types';
import { runSynthPipeline } from '../render/synth-pipeline';
import type { WriteReport } from '../render/write-output';
import { writeLockText } from './lock-file';
import { changed, formatChanges, type LockPlan } from './lock-plan';

export interface ApplyOptions {
  /** Print the plan and write nothing. @default false */
  readonly dryRun?: boolean;
  /** Re-render dist/ and clusters/ with the new lock (the CI on main renders anyway). @default true */
  readonly render?: boolean;
}

export interface AppliedPlan {
  /** Undefined when rendering was skipped. */
  readonly output?: WriteReport;
  readonly clusters: number;
  readonly objects: number;
  /** Warnings and waived findings of the render, printed like synth prints them. */
  readonly findings: readonly Problem[];
}

/**
 * Cache key of renders made here: not synth's (a hash of its bundle), so the next `npm run synth`
 * renders everything once instead of trusting units this command wrote.
 */
const GENERATOR = 'delivery';

/**
 * Writes a plan: synth's pipeline (runSynthPipeline: secrets, render, validate, write) runs with the new lock first and throws before touching a file on any model, secret,
 * render or validation error; only then is the lock replaced (atomically). So on error nothing
 * is written, and on success the output is what `npm run synth` makes of the new lock.
 */
export async function applyLockPlan(root: string, fleet: FleetSpec, plan: LockPlan, options: ApplyOptions = {}): Promise<AppliedPlan> {
  if (options.render === false) {
    writeLockText(root, plan.text);
    return { clusters: 0, objects: 0, findings: [] };
  }
  const next: FleetSpec = { ...fleet, releases: plan.releases };
  const report = await runSynthPipeline(next, root, { env: process.env, full: true, generator: GENERATOR });
  writeLockText(root, plan.text);
  const { result, write } = report;
  return {
    output: write,
    clusters: result.clusters.length,
    objects: result.clusters.reduce((sum, c) => sum + c.objects.length, 0),
    findings: [...report.secretProblems, ...report.findings].filter((p) => p.severity === 'warning' || p.waived),
  };
}

/**
 * The edge shared by `release` and `promote`: print warnings and the changes, apply the plan
 * unless it is a dry run or changes nothing, and say what was written.
 */
export async function applyAndReport(
  command: string,
  root: string,
  fleet: FleetSpec,
  plan: LockPlan,
  options: ApplyOptions = {},
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<AppliedPlan | undefined> {
  for (const problem of plan.warnings) err.write(`${formatProblem(problem)}\n`);
  out.write(`${command}${options.dryRun ? ' (dry run, nothing written)' : ''}: ${RELEASE_LOCK_FILE}\n${formatChanges(plan.changes).join('\n')}\n`);
  if (options.dryRun) return undefined;
  if (changed(plan.changes).length === 0) {
    out.write('nothing to change\n');
    return undefined;
  }
  const applied = await applyLockPlan(root, fleet, plan, options);
  for (const problem of applied.findings) err.write(`${formatProblem(problem)}\n`);
  if (applied.output) {
    const { written, deleted } = applied.output;
    out.write(`rendered ${applied.clusters} clusters, ${applied.objects} objects: ${written.length} files written, ${deleted.length} pruned\n`);
    for (const path of written) out.write(`  ${path}\n`);
  } else {
    out.write('lock updated, output not rendered (--no-render): run `npm run synth`\n');
  }
  return applied;
}
