import { resolve } from 'node:path';
import { fleet as sampleFleet } from '../environments';
import type { FleetSpec } from '../model/fleet';
import { FleetError } from '../model/problem';
import { clusterDir } from '../render/layout';
import { renderFleet } from '../render/render-fleet';
import { writeOutput } from '../render/write-output';
import { parseFlags, reportProblems, runCommand } from './lib/cli';

/**
 * `npm run synth [-- --cluster <name>…] [--out <dir>]`: render the fleet and write dist/ and
 * clusters/. With --cluster only that cluster (and the bases it uses) is written, byte-identical
 * to its part of a full render.
 */
export function synth(argv: readonly string[], root = process.cwd(), fleet: FleetSpec = sampleFleet): number {
  const { flags } = parseFlags(argv);
  const only = flags.get('cluster');
  const out = resolve(root, flags.get('out')?.[0] ?? '.');
  const started = process.hrtime.bigint();
  const result = renderFleet(fleet, { clusters: only });
  const warnings = result.problems.filter((p) => p.severity === 'warning');
  reportProblems(warnings);
  if (result.problems.some((p) => p.severity === 'error')) throw new FleetError(result.problems.filter((p) => p.severity === 'error'));
  const scope = only ? only.map(clusterDir) : undefined;
  const report = writeOutput(out, result.files, { scope });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const objects = result.clusters.reduce((sum, c) => sum + c.objects.length, 0);
  process.stdout.write(
    `synth: ${result.clusters.length} clusters, ${objects} objects, ${result.files.size} files ` +
      `(${report.written.length} written, ${report.deleted.length} pruned) in ${ms.toFixed(0)} ms\n`,
  );
  for (const path of report.kept) process.stdout.write(`kept hand-edited file ${path} (no generated marker)\n`);
  return 0;
}

if (require.main === module) runCommand(() => synth(process.argv.slice(2)));
