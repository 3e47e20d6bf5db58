import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { coldSynth, measureSize, type BenchResult, type ColdSynth } from '../bench/measure';
import { FleetError } from '../model/problem';
import { parseCommandLine, printUsage, runCommand, usageProblem, type CommandLineSpec } from './lib/cli';
import { createProgress } from './lib/progress';

/**
 * `npm run bench [-- --sizes 50x3,500x3,200x10] [--runs 3]`: renders synthetic fleets through
 * the public model API and prints, per size, the medians of: full synth (render + validate +
 * write into an empty directory), the js-yaml floor (the same documents serialised and written
 * alone) and their ratio, objects/s, files, peak RSS, a one-service incremental re-render
 * (checked byte-identical to a full render), a cold `synth --full` in a fresh process (wall time
 * and the peak RSS of that process), and for 500x3 `check` and the largest kustomize build.
 * Each size runs in its own process.
 */
const DEFAULT_SIZES = ['50x3', '500x3', '200x10'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function child(size: string): BenchResult {
  const output = execFileSync(process.execPath, [__filename, '--child', size], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output) as BenchResult;
}

/** `synth --full` of a bench fleet in a fresh Node process (what a CI job or a user runs). */
function coldSynthProcess(size: string, out: string): ColdSynth {
  const output = execFileSync(process.execPath, [__filename, '--cold-synth', size, '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(output) as ColdSynth;
}

function format(size: string, runs: BenchResult[]): string {
  const m = (pick: (r: BenchResult) => number | undefined) => median(runs.map((r) => pick(r) ?? Number.NaN));
  const last = runs[runs.length - 1];
  const lines = [
    `${size}: ${last.objects} objects, ${last.files} files (median of ${runs.length})`,
    `  full synth   ${m((r) => r.synthMs).toFixed(0)} ms  (render ${m((r) => r.renderMs).toFixed(0)}, validate ${m((r) => r.validateMs).toFixed(0)}, write ${m((r) => r.writeMs).toFixed(0)})`,
    `  js-yaml floor ${m((r) => r.floorMs).toFixed(0)} ms  → ratio ${m((r) => r.ratio).toFixed(2)}x`,
    `  CPU only     render ${m((r) => r.renderMs).toFixed(0)} + validate ${m((r) => r.validateMs).toFixed(0)} ms vs js-yaml serialisation ${m((r) => r.serializeMs).toFixed(0)} ms (no disk)`,
    `  throughput   ${m((r) => r.objectsPerSecond).toFixed(0)} objects/s`,
    `  cold synth   ${m((r) => r.coldSynth.ms).toFixed(0)} ms in a fresh process (Node start, load, compile schemas, render, validate, write), peak RSS ${m((r) => r.coldSynth.peakRssMb).toFixed(0)} MB (bench process, holding several renders: ${m((r) => r.peakRssMb).toFixed(0)} MB)`,
    `  incremental  ${m((r) => r.incrementalMs).toFixed(0)} ms for one changed service (identical to full render: ${runs.every((r) => r.incrementalIdentical)})`,
  ];
  if (last.checkMs !== undefined) lines.push(`  check        ${m((r) => r.checkMs).toFixed(0)} ms cold (render + drift + kustomize of every Flux path + validation), ${m((r) => r.warmCheckMs).toFixed(0)} ms after one more change (unchanged paths' builds reused)`);
  if (last.largestBuild) lines.push(`  largest kustomize build ${last.largestBuild.path}: ${last.largestBuild.objects} objects in ${m((r) => r.largestBuild?.ms).toFixed(0)} ms`);
  return lines.join('\n');
}

export const BENCH_COMMAND: CommandLineSpec = {
  name: 'bench',
  usage: `usage: npm run bench [-- --sizes 50x3,500x3,200x10] [--runs 3]
  --sizes <list>  fleet sizes as <services>x<clusters>, comma-separated
  --runs <n>      runs per size (the median is reported)`,
  options: { sizes: { type: 'string' }, runs: { type: 'string' }, child: { type: 'string' }, 'cold-synth': { type: 'string' }, out: { type: 'string' } },
};

export async function bench(argv: readonly string[]): Promise<number> {
  const { help, flags } = parseCommandLine(BENCH_COMMAND, argv);
  if (help) return printUsage(BENCH_COMMAND);
  const cold = flags.get('cold-synth')?.[0];
  if (cold) {
    const [services, clusters] = cold.split('x').map(Number);
    const out = flags.get('out')?.[0];
    if (!out) throw new FleetError([usageProblem(BENCH_COMMAND, '--cold-synth needs --out <empty directory>')]);
    process.stdout.write(JSON.stringify(coldSynth(services, clusters, out)));
    return 0;
  }
  const childSize = flags.get('child')?.[0];
  if (childSize) {
    const [services, clusters] = childSize.split('x').map(Number);
    process.stdout.write(JSON.stringify(await measureSize(services, clusters, { check: childSize === '500x3', coldSynthProcess })));
    return 0;
  }
  const sizes = flags.get('sizes')?.[0]?.split(',') ?? DEFAULT_SIZES;
  const runs = Number(flags.get('runs')?.[0] ?? 3);
  process.stdout.write(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
  const progress = createProgress();
  for (const size of sizes) {
    const results = Array.from({ length: runs }, (_, run) => {
      progress.update(`bench ${size}: run ${run + 1} of ${runs} (each size in its own process)`);
      return child(size);
    });
    progress.done();
    process.stdout.write(`${format(size, results)}\n`);
  }
  return 0;
}

if (require.main === module) runCommand(() => bench(process.argv.slice(2)));
