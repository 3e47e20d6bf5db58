import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FleetSpec } from '../model/fleet';
import { runSynthPipeline } from '../render/synth-pipeline';
import { loadSampleFleet, parseCommandLine, printUsage, reportProblems, runCommand, unknownClusters, type CommandLineSpec } from './lib/cli';
import { FleetError } from '../model/problem';

/**
 * The generator's version for the unit cache: a hash of the running bundle, so any code change
 * re-renders everything once.
 */
export function generatorVersion(): string {
  try {
    return createHash('sha256').update(readFileSync(__filename)).digest('hex').slice(0, 16);
  } catch {
    return 'dev';
  }
}

/**
 * `npm run synth [-- --cluster <name>…] [--full] [--out <dir>]`: render the fleet, validate it,
 * and write dist/ and clusters/. Unchanged services are not re-rendered unless --full.
 * With --cluster only that cluster (and the bases it uses) is written, byte-identical to its
 * part of a full render.
 */
export const SYNTH_COMMAND: CommandLineSpec = {
  name: 'synth',
  usage: `usage: npm run synth [-- --cluster <name>…] [--full] [--out <dir>]
  --cluster <name>  render only this cluster (repeatable) and the bases it uses
  --full            re-render every unit, ignoring the unit cache (CI does)
  --out <dir>       write dist/ and clusters/ under <dir> instead of the project root`,
  options: { cluster: { type: 'string', multiple: true }, full: { type: 'boolean' }, out: { type: 'string' } },
};

export async function synth(argv: readonly string[], root = process.cwd(), fleet?: FleetSpec): Promise<number> {
  const { help, flags } = parseCommandLine(SYNTH_COMMAND, argv);
  if (help) return printUsage(SYNTH_COMMAND);
  const model = fleet ?? (await loadSampleFleet());
  const unknown = unknownClusters(model, flags.get('cluster'));
  if (unknown.length > 0) throw new FleetError(unknown);
  const out = resolve(root, flags.get('out')?.[0] ?? '.');
  const started = process.hrtime.bigint();
  const report = await runSynthPipeline(model, root, { env: process.env, clusters: flags.get('cluster'), full: flags.has('full'), generator: generatorVersion(), out });
  reportProblems([...report.write.notices, ...report.secretProblems, ...report.findings]);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const { result, write } = report;
  const objects = result.clusters.reduce((sum, c) => sum + c.objects.length, 0);
  const reused = report.reusedUnits > 0 ? `, ${report.reusedUnits} unchanged units reused` : '';
  const sealed = report.secretStats.objects > 0 ? `, ${report.secretStats.objects} secrets (${report.secretStats.renewed} sealed or encrypted anew)` : '';
  process.stdout.write(
    `synth: ${result.clusters.length} clusters, ${objects} objects rendered${reused}${sealed}, ${write.written.length} files written, ` +
      `${write.deleted.length} pruned; validation: ${report.validation.line} in ${ms.toFixed(0)} ms\n`,
  );
  if (write.temporariesRemoved.length > 0) process.stdout.write(`removed ${write.temporariesRemoved.length} temporary files left by an interrupted synth\n`);
  for (const path of write.kept) process.stdout.write(`kept hand-edited file ${path} (no generated marker)\n`);
  return 0;
}

if (require.main === module) runCommand(() => synth(process.argv.slice(2)));
