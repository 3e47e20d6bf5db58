import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import fc from 'fast-check';
import { synth } from '../../src/commands/synth';
import { findDrift } from '../../src/render/drift';
import { LOCK_FILE } from '../../src/render/output-lock';
import { renderFleet } from '../../src/render/render-fleet';
import { captureOutput } from '../support/command-output';
import { fleetMutation, isBroken, mutatedFleet, type FleetMutation } from '../support/mutated-fleet';
import { treeOf, type Tree } from '../support/output-tree';
import { tempDir } from '../support/render-to-dir';

/**
 * kill -9 at a random moment: a child process synthesises a randomly edited fleet over an
 * existing output and is killed with SIGKILL at a random time (biased towards the write
 * phase). Whatever the moment, every output file is old or new; a synth that exits by itself
 * with 1 left the output byte-identical, one that exits 0 passes the drift check; and the next
 * synth in this process takes over the dead process's lock and converges to exactly the fresh
 * render. Bounded to ~35 s of runs (fast-check's time limit) on a busy machine.
 */
const CHILD_TIMEOUT_MS = 60_000;

async function bundleChild(): Promise<string> {
  const outfile = resolve(__dirname, '../../build/test/synth-child.js');
  await build({ entryPoints: [resolve(__dirname, '../support/synth-child.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent' });
  return outfile;
}

interface ChildOutcome {
  readonly code: number | null;
  readonly killed: boolean;
  /** From the child's `ready` line to its exit: the pipeline's time. */
  readonly ms: number;
}

/** Runs the child; `killAfterMs` counts from when it has loaded its code (its `ready` line). */
function runChild(script: string, root: string, mutation: FleetMutation, killAfterMs?: number): Promise<ChildOutcome> {
  let started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [script, root, JSON.stringify(mutation)], { stdio: ['ignore', 'pipe', 'ignore'] });
    let killer: NodeJS.Timeout | undefined;
    child.stdout.once('data', () => {
      started = Date.now();
      if (killAfterMs !== undefined) killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.stdout.resume();
    const guard = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', fail);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      clearTimeout(guard);
      done({ code, killed: signal === 'SIGKILL', ms: Date.now() - started });
    });
  });
}

/** The output files (lock and claim files at the root are not output). */
function outputTree(root: string): Tree {
  return treeOf(root);
}

function outsideOutput(root: string): Tree {
  return Object.fromEntries(Object.entries(treeOf(root, '.')).filter(([path]) => !/^(dist|clusters)\//.test(path) && !path.startsWith('node_modules/.cache/') && !path.startsWith(LOCK_FILE)));
}

describe('synth killed at random moments (property)', () => {
  const counts = { runs: 0, kills: 0, killsAfterAWrite: 0, exitedNonZero: 0, exitedZero: 0, mutations: 0 };
  let script: string;
  let typicalMs = 2_000;
  beforeAll(async () => {
    script = await bundleChild();
  }, 120_000);
  captureOutput();
  afterAll(() => console.info(`kill property: ${JSON.stringify(counts)}`));

  it('leaves each file old or new, and the next synth converges', async () => {
    // One undisturbed child run calibrates when to kill, and renders the first tree.
    const root = tempDir('fleet-kill-');
    const first = await runChild(script, root, { services: [{ name: 'web', replicas: 1, tag: '1.0.0', port: 8080, memory: '128Mi', ingress: true, namespace: 'shop' }], clusters: ['stage'] });
    expect(first.code).toBe(0);
    typicalMs = first.ms;
    // A budget checked before each run, not fast-check's interruptAfterTimeLimit: that one
    // abandons the run in flight, which then keeps writing into the next test file's output.
    const deadline = Date.now() + 35_000;

    await fc.assert(
      fc.asyncProperty(fleetMutation, fc.integer({ min: 10, max: 95 }), fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), async (edit, killPercent, kill) => {
        if (Date.now() > deadline) return; // time budget spent: the remaining runs pass without running
        counts.runs++;
        counts.mutations++;
        // GIVEN the output the previous run converged to (one tree for all runs: each edit is
        // applied over the last, as in a repository, and no run pays for a fresh render)
        const before = outputTree(root);
        const outside = outsideOutput(root);
        const fleet = mutatedFleet(edit);
        const expected = renderFleet(fleet).files;

        // WHEN a child synthesises the edit and is (maybe) killed with SIGKILL
        const outcome = await runChild(script, root, edit, kill ? Math.round((typicalMs * killPercent) / 100) : undefined);
        const after = outputTree(root);

        // THEN
        if (outcome.killed) {
          counts.kills++;
          if (JSON.stringify(after) !== JSON.stringify(before)) counts.killsAfterAWrite++;
          for (const path of new Set([...Object.keys(before), ...Object.keys(after)])) {
            if (path === 'dist/.generated-files' || /\.fleet-tmp-\d+$/.test(path)) continue;
            expect([before[path], expected.get(path)]).toContain(after[path]);
          }
        } else if (outcome.code === 0) {
          counts.exitedZero++;
          expect(isBroken(edit)).toBe(false);
          expect(findDrift(root, expected)).toEqual([]);
        } else {
          counts.exitedNonZero++;
          expect(isBroken(edit)).toBe(true);
          expect(after).toEqual(before);
        }
        expect(outsideOutput(root)).toEqual(outside);

        // AND the next synth takes over any lock the dead child left and converges
        if (isBroken(edit)) {
          expect(after).toEqual(before);
          return;
        }
        await synth(['--out', root], root, fleet);
        expect(findDrift(root, expected)).toEqual([]);
        expect(Object.keys(outputTree(root)).sort()).toEqual([...expected.keys(), 'dist/.generated-files'].sort());
        expect(readdirSync(root).filter((name) => name.startsWith(LOCK_FILE))).toEqual([]);
      }),
      { numRuns: 30 },
    );
    expect(counts.kills).toBeGreaterThan(0);
    rmSync(root, { recursive: true, force: true });
  }, 180_000);
});
