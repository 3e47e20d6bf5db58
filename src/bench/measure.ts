import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FleetSpec } from '../model/fleet';
import { fluxPaths } from '../render/kustomize-build';
import { verifyOutput } from '../render/verify-output';
import { renderFleet } from '../render/render-fleet';
import { synthesize } from '../render/synthesize';
import { serializeFile } from '../render/yaml';
import { fleetClusterObjects, validateFleet } from '../validate/validate-fleet';
import { defaultCrdDirectory } from '../validate/validate-options';
import { syntheticFleet } from './synthetic-fleet';

/** One benchmark size's measurements (milliseconds unless named otherwise). */
export interface BenchResult {
  readonly size: string;
  readonly objects: number;
  readonly files: number;
  /** render + validate + write, into an empty directory, no cache, on a warmed-up process. */
  readonly synthMs: number;
  readonly renderMs: number;
  readonly validateMs: number;
  readonly writeMs: number;
  /** js-yaml alone: serialise the same documents to the same layout and write them. */
  readonly floorMs: number;
  /** The floor's serialisation alone (no disk): the CPU part of the floor. */
  readonly serializeMs: number;
  readonly ratio: number;
  readonly objectsPerSecond: number;
  /** One service's tag changed, incremental synth over the previous output. */
  readonly incrementalMs: number;
  readonly incrementalIdentical: boolean;
  /**
   * What `npm run check` does after the change, cold: render + drift + `kubectl kustomize` of
   * every Flux path (parallel, as many as cores) + validation of the built objects.
   */
  readonly checkMs?: number;
  /** The same with the kustomize cache warm: one more service changed since the last check. */
  readonly warmCheckMs?: number;
  /** The slowest single `kubectl kustomize` of one Flux Kustomization path, and its object count. */
  readonly largestBuild?: { readonly path: string; readonly objects: number; readonly ms: number };
  /** Peak RSS of the bench process itself (holds several renders at once: an upper bound). */
  readonly peakRssMb: number;
  /** `synth --full` of the fleet in a fresh process: wall time from process start, and its peak RSS. */
  readonly coldSynth: ColdSynth;
}

export interface ColdSynth {
  readonly ms: number;
  readonly peakRssMb: number;
}

/**
 * What `npm run synth -- --full` costs on this fleet, run in the calling process (the bench
 * starts a fresh one for it): Node start-up, module loading, schema compilation, render,
 * validation and write into an empty directory; and that process's peak RSS.
 */
export function coldSynth(services: number, clusters: number, out: string): ColdSynth {
  synthesize(syntheticFleet({ services, clusters }), out, { generator: 'bench', full: true });
  return { ms: Math.round(process.uptime() * 1000), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

async function timeAsync<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const value = await run();
  return [value, Number(process.hrtime.bigint() - started) / 1e6];
}

/**
 * Flushes the previous phase's writes (and deletions) to disk before a timed phase starts: on a
 * VM the kernel otherwise writes them back during the next phase, and whichever phase runs next
 * (synth or the floor) pays for the other's files.
 */
function settle(): void {
  execFileSync('sync');
}

function time<T>(run: () => T): [T, number] {
  const started = process.hrtime.bigint();
  const value = run();
  return [value, Number(process.hrtime.bigint() - started) / 1e6];
}

/** The floor's writer: each directory created once, each file written once, nothing else. */
function writeTree(root: string, files: ReadonlyMap<string, string>): void {
  const created = new Set<string>();
  for (const [path, content] of files) {
    const target = join(root, path);
    const dir = dirname(target);
    if (!created.has(dir)) {
      mkdirSync(dir, { recursive: true });
      created.add(dir);
    }
    writeFileSync(target, content);
  }
}

/** The same fleet with one service's tag bumped in one environment: what a release does. */
function bumpOneTag(fleet: FleetSpec, tag = '9.9.9'): FleetSpec {
  const [system, ...others] = fleet.systems;
  const service = system.services[0].name;
  const environments = system.environments.map((env, i) =>
    i === 0 ? { ...env, services: { ...env.services, [service]: { ...env.services?.[service], tag } } } : env,
  );
  return { ...fleet, systems: [{ ...system, environments }, ...others] };
}

/** `npm run check` itself on a bench tree (its fleet has no secrets, so no keys are needed). */
async function checkTree(fleet: FleetSpec, root: string): Promise<void> {
  // The bench tree sits in the temp dir: CRDs come from where the project finds them.
  const { problems } = await verifyOutput(fleet, root, { env: {}, validate: { crdDirectory: defaultCrdDirectory(process.cwd(), process.env) } });
  const failed = problems.filter((p) => p.severity === 'error');
  if (failed.length > 0) throw new Error(`bench check failed: ${failed[0].code} ${failed[0].message}`);
}

export interface MeasureOptions {
  /** Also measure `check` (cold and warm) and the largest kustomize build. */
  readonly check: boolean;
  /** Runs `coldSynth` for this size in a fresh process, into the given directory. */
  readonly coldSynthProcess: (size: string, out: string) => ColdSynth;
}

export async function measureSize(services: number, clusters: number, options: MeasureOptions): Promise<BenchResult> {
  const fleet = syntheticFleet({ services, clusters });
  const out = mkdtempSync(join(tmpdir(), 'fleet-bench-'));
  const floorDir = mkdtempSync(join(tmpdir(), 'fleet-floor-'));
  const fullDir = mkdtempSync(join(tmpdir(), 'fleet-full-'));
  try {
    const generator = 'bench';
    // Warm-up pass, then the measured synth (the real pipeline end to end into an empty
    // directory) on a warm process — code compiled, schemas loaded, nothing else held in memory,
    // as the floor later runs warm.
    const warmDir = mkdtempSync(join(tmpdir(), 'fleet-warm-'));
    synthesize(fleet, warmDir, { generator, full: true });
    rmSync(warmDir, { recursive: true, force: true });
    settle();
    const [, synthMs] = time(() => synthesize(fleet, out, { generator, full: true }));
    const [result, renderMs] = time(() => renderFleet(fleet, { generator }));
    if (result.problems.some((p) => p.severity === 'error')) throw new Error(`synthetic fleet has errors: ${result.problems[0].message}`);
    const [, validateMs] = time(() =>
      validateFleet(fleet, result.clusters.map((c) => fleetClusterObjects(c.spec, c.production, c.objects)), {
        pathExists: (path) => result.files.has(`${path.replace(/^\.\//, '')}/kustomization.yaml`),
      }),
    );
    const writeDir = mkdtempSync(join(tmpdir(), 'fleet-write-'));
    settle();
    const [, writeMs] = time(() => writeTree(writeDir, result.files));
    rmSync(writeDir, { recursive: true, force: true });
    settle();
    const [, floorMs] = time(() => writeTree(floorDir, new Map([...result.documents].map(([path, file]) => [path, serializeFile(file)]))));
    const [, serializeMs] = time(() => [...result.documents.values()].map(serializeFile));
    const objects = result.clusters.reduce((sum, c) => sum + c.objects.length, 0);
    const coldDir = mkdtempSync(join(tmpdir(), 'fleet-cold-'));
    settle();
    const cold = options.coldSynthProcess(`${services}x${clusters}`, coldDir);
    rmSync(coldDir, { recursive: true, force: true });

    const changed = bumpOneTag(fleet);
    synthesize(fleet, out, { generator }); // records the unit cache for `out`
    settle();
    const [, incrementalMs] = time(() => synthesize(changed, out, { generator }));
    synthesize(changed, fullDir, { generator, full: true });
    const incrementalIdentical = execFileSync('diff', ['-r', '-q', '-x', '.cache', '-x', 'node_modules', out, fullDir], { encoding: 'utf8' }).trim() === '';

    let checkMs: number | undefined;
    let warmCheckMs: number | undefined;
    let largestBuild: BenchResult['largestBuild'];
    if (options.check) {
      [, checkMs] = await timeAsync(() => checkTree(changed, fullDir));
      const changedAgain = bumpOneTag(changed, '9.9.10');
      synthesize(changedAgain, fullDir, { generator, full: true });
      [, warmCheckMs] = await timeAsync(() => checkTree(changedAgain, fullDir));
      for (const cluster of changed.clusters) {
        for (const path of fluxPaths(fullDir, cluster.name)) {
          const [output, ms] = time(() => execFileSync('kubectl', ['kustomize', join(fullDir, path)], { encoding: 'utf8', maxBuffer: 1 << 30 }));
          const count = (output.match(/^kind: /gm) ?? []).length;
          if (!largestBuild || ms > largestBuild.ms) largestBuild = { path, objects: count, ms };
        }
      }
    }
    return {
      size: `${services}x${clusters}`,
      objects,
      files: result.files.size,
      synthMs,
      renderMs,
      validateMs,
      writeMs,
      floorMs,
      serializeMs,
      ratio: synthMs / floorMs,
      objectsPerSecond: Math.round(objects / (synthMs / 1000)),
      incrementalMs,
      incrementalIdentical,
      checkMs,
      warmCheckMs,
      largestBuild,
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      coldSynth: cold,
    };
  } finally {
    for (const dir of [out, floorDir, fullDir]) rmSync(dir, { recursive: true, force: true });
  }
}
