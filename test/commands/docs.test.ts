import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docs } from '../../src/commands/docs';
import { captureOutput, fleetErrorText } from '../support/command-output';
import { miniFleet } from '../support/fleet-fixtures';
import { tempDir } from '../support/render-to-dir';

describe('npm run docs (the bootstrap guide)', () => {
  const output = captureOutput();

  it('--help prints its usage and does nothing else; an unknown flag is refused', async () => {
    const root = tempDir();
    expect(await docs(['--help'], root, miniFleet())).toBe(0);
    expect(output.printed()).toMatch(/^usage: npm run docs/);
    expect(await fleetErrorText(() => docs(['--nope'], root, miniFleet()))).toMatch(/^error \[docs\/usage\] : Unknown option '--nope'/);
    expect(readdirSync(root)).toEqual([]);
  });

  it('--check names every stale, missing or stray page; a run writes them and removes the stray one', async () => {
    // GIVEN a project whose docs/bootstrap/ has a page of a cluster the fleet no longer has
    const root = tempDir();
    mkdirSync(join(root, 'docs/bootstrap'), { recursive: true });
    writeFileSync(join(root, 'docs/bootstrap/gone.md'), '# gone\n');

    // WHEN checked, THEN each page is a drift/docs-stale problem and nothing is written
    const text = await fleetErrorText(() => docs(['--check'], root, miniFleet()));
    expect(text.split('\n').filter((line) => line.startsWith('error'))).toEqual([
      'error [drift/docs-stale] : docs/bootstrap/README.md is not what the model and the rendered output generate',
      'error [drift/docs-stale] : docs/bootstrap/gone.md belongs to no cluster of the fleet',
      'error [drift/docs-stale] : docs/bootstrap/stage.md is not what the model and the rendered output generate',
    ]);
    expect(text).toContain('fix: run `npm run docs` and commit the pages');
    expect(existsSync(join(root, 'docs/bootstrap/stage.md'))).toBe(false);

    // WHEN run, THEN the pages are written, the stray one removed, and the check passes
    expect(await docs([], root, miniFleet())).toBe(0);
    expect(readdirSync(join(root, 'docs/bootstrap')).sort()).toEqual(['README.md', 'stage.md']);
    expect(readFileSync(join(root, 'docs/bootstrap/stage.md'), 'utf8')).toContain('--path=clusters/stage');
    expect(await docs(['--check'], root, miniFleet())).toBe(0);
  }, 60_000);
});
