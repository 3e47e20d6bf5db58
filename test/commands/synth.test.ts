import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synth } from '../../src/commands/synth';
import { FleetError, formatProblem } from '../../src/model/problem';
import { miniFleet } from '../support/fleet-fixtures';
import { tempDir } from '../support/render-to-dir';

// Renders the sample fleet (secrets reused from the committed output): seconds on a busy 2-core machine.
jest.setTimeout(120_000);

function snapshotTree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => `${join(entry.parentPath, entry.name)}:${readFileSync(join(entry.parentPath, entry.name), 'utf8')}`)
    .sort();
}

describe('synth command', () => {
  let stdout: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => stdout.mockRestore());

  it('renders into --out and reports what it wrote', async () => {
    const root = tempDir();
    expect(await synth(['--out', root], root, miniFleet())).toBe(0);
    expect(readFileSync(join(root, 'clusters/stage/apps/shop/web/kustomization.yaml'), 'utf8')).toContain('newTag: 1.0.0');
    expect(String(stdout.mock.calls.at(-1)?.[0])).toMatch(/^synth: 1 clusters, \d+ objects rendered, \d+ files written, 0 pruned; validation: \d+ objects in 1 cluster, 0 errors/);
  });

  it('fails on a model error with every problem, and leaves the previous output as it was', async () => {
    // GIVEN a previous good render
    const root = tempDir();
    await synth([], root, miniFleet());
    const before = snapshotTree(root);

    // WHEN the model gains two mistakes
    const broken = miniFleet({ service: { resources: { limits: { memory: '512Gb' } }, ports: [{ name: 'http', port: 0 }] } });
    let thrown: unknown;
    try {
      await synth([], root, broken);
    } catch (cause) {
      thrown = cause;
    }

    // THEN both are reported as problems (no stack trace) and nothing changed on disk
    expect(thrown).toBeInstanceOf(FleetError);
    const text = (thrown as FleetError).problems.map(formatProblem).join('\n');
    expect(text).toContain('error [model/invalid-quantity] service=web field=resources.limits.memory');
    expect(text).toContain('error [model/invalid-port] service=web field=ports[0].port');
    expect(text).toContain('defined in: test/shop.ts');
    expect(snapshotTree(root)).toEqual(before);
  });
});
