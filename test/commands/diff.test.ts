import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { diff } from '../../src/commands/diff';
import { setLockedVersion } from '../../src/delivery/release-lock';
import { fleet } from '../../src/environments';
import { FleetError, formatProblem } from '../../src/model/problem';
import { renderWithSecrets } from '../../src/render/secrets';
import { writeOutput } from '../../src/render/write-output';
import { RELEASE_LOCK_FILE } from '../../src/model/release-lock-types';
import { captureOutput } from '../support/command-output';
import { lockRoot, lockText, removeLockRoots } from './lock-root';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-C', dir, '-c', 'user.name=test', '-c', 'user.email=test@example.test', ...args]);
}

describe('diff command', () => {
  afterAll(removeLockRoots);
  const { printed } = captureOutput();

  // GIVEN a project whose committed output (HEAD) is a fresh render of the sample fleet, and a
  // working tree that promotes clients-api 1.0.b7d41e9c to production
  const root = lockRoot();
  beforeAll(async () => {
    const render = await renderWithSecrets(fleet, root, { env: process.env });
    expect(render.problems.filter((p) => p.severity === 'error' && !p.waived).map(formatProblem)).toEqual([]);
    writeOutput(root, render.files);
    git(root, 'init', '--quiet');
    git(root, 'add', '.');
    git(root, 'commit', '--quiet', '-m', 'output');
    writeFileSync(join(root, RELEASE_LOCK_FILE), setLockedVersion(lockText(root), 'production', 'clients-api', '1.0.b7d41e9c'));
  }, 120_000);

  it('writes the Markdown diff against HEAD for a PR comment, with the production image flagged', async () => {
    // WHEN the diff of the production cluster is written as Markdown
    expect(await diff(['--cluster', 'production', '--format', 'markdown', '--output', 'diff.md'], root)).toBe(0);

    // THEN it shows the one image change, flagged, and nothing else
    const markdown = readFileSync(join(root, 'diff.md'), 'utf8');
    expect(markdown).toContain('### Manifest diff: `HEAD` → this change');
    expect(markdown).toContain('**1 changed, 0 added, 0 deleted in 1 cluster · risks: 1 production-image**');
    expect(markdown).toContain('| ⚠️ | production-image | `production` | `production/Deployment/clients-api` | image changes in production: 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.clients-api:1.0.af873c03 → 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.clients-api:1.0.b7d41e9c |');
    expect(markdown).toContain('-   spec.template.spec.containers[clients-api].image: 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.clients-api:1.0.af873c03\n+   spec.template.spec.containers[clients-api].image: 555566667777.dkr.ecr.eu-west-1.amazonaws.com/bookstore.clients-api:1.0.b7d41e9c');
    expect(printed()).toBe('');
  }, 120_000);

  it('prints terminal text against a directory, without colours when asked', async () => {
    await diff(['--base-dir', root, '--cluster', 'development', '--no-color'], root);
    expect(printed()).toBe(`fleet diff: ${root} → fresh render\nno changes: both trees build the same objects\n`);
  }, 120_000);

  it('rejects an unknown format or ref', async () => {
    await expect(diff(['--format', 'html'], root)).rejects.toThrow(FleetError);
    await expect(diff(['--base', 'no-such-ref'], root)).rejects.toThrow(/not a commit/);
  }, 120_000);
});
