import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../support/render-to-dir';
import { treeOf } from '../support/output-tree';

/**
 * The commands as users run them — `node scripts/build.mjs synth && node build/commands/synth.js`
 * in a copy of this project — fed broken environment files, a broken release lock and a file
 * in the way of the output. Each must print problem lines naming the user's file and line,
 * never a Node stack frame, exit 1, and leave the output as it was. Each case rebuilds the
 * bundle with esbuild, so the timeouts are generous (a busy 2-core machine takes seconds).
 */
const projectRoot = resolve(__dirname, '../..');
const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

function copyProject(): string {
  const root = tempDir('fleet-cli-');
  // helm/, when present: the chart directories of Helm apps (synth checks each has a Chart.yaml).
  for (const entry of ['src', 'imports', 'scripts', 'secrets', 'clusters', 'dist', 'build', 'helm', 'package.json', 'package-lock.json', 'tsconfig.json', '.sops.yaml']) {
    if (entry === 'helm' && !existsSync(join(projectRoot, entry))) continue;
    cpSync(join(projectRoot, entry), join(root, entry), { recursive: true, preserveTimestamps: true });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(root, 'node_modules'));
  return root;
}

function run(root: string, command: string): { code: number | null; stdout: string; stderr: string } {
  const env = { ...process.env, FLEET_CRD_DIR: process.env.FLEET_CRD_DIR || resolve(projectRoot, '..', 'shared', 'crds') };
  const built = spawnSync(process.execPath, ['scripts/build.mjs', command], { cwd: root, env, encoding: 'utf8' });
  if (built.status !== 0) return { code: built.status, stdout: built.stdout, stderr: built.stderr };
  const ran = spawnSync(process.execPath, [`build/commands/${command}.js`], { cwd: root, env, encoding: 'utf8' });
  return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr };
}

/** Replaces `file`'s content but keeps its modification time, as `cp -p`, `git stash` or `tar` do. */
function editKeepingMtime(file: string, edit: (text: string) => string): void {
  const { atime, mtime } = statSync(file);
  writeFileSync(file, edit(readFileSync(file, 'utf8')));
  utimesSync(file, atime, mtime);
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle)) + 1;
}

describe('command errors (built bundles, child processes)', () => {
  let root: string;
  let original: ReturnType<typeof treeOf>;
  beforeAll(() => {
    root = copyProject();
    original = treeOf(root);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a throw in an environment file names that file and line (through the source map), even when restored with its old mtime', () => {
    // GIVEN an environment file that throws while the model loads, edited the way `cp -p` would
    const file = join(root, 'src/environments/hipstershop.ts');
    const pristine = readFileSync(file, 'utf8');
    editKeepingMtime(file, (text) => text.replace(/^(export const hipstershop)/m, "if (process.env.HOME !== undefined) throw new RangeError('no capacity left in eu-west-3');\n$1"));
    const line = lineOf(readFileSync(file, 'utf8'), 'no capacity left');

    // WHEN synth runs
    const result = run(root, 'synth');
    editKeepingMtime(file, () => pristine);

    // THEN the bundle was rebuilt from the new content, and one problem names hipstershop.ts:<line>
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error \\[model/definition-threw\\] : src/environments/hipstershop\\.ts:${line}:\\d+ threw RangeError: no capacity left in eu-west-3$`, 'm'));
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(result.stderr).not.toContain('build/commands/synth.js');
    expect(treeOf(root)).toEqual(original);
  }, 240_000);

  it('a syntax error in an environment file is one problem line with file:line:column, no stack', () => {
    const file = join(root, 'src/environments/bookstore.ts');
    const pristine = readFileSync(file, 'utf8');
    writeFileSync(file, pristine.replace(/^(export const bookstore)/m, 'const replicas = {;\n$1'));
    const line = lineOf(readFileSync(file, 'utf8'), 'const replicas = {;');
    const result = run(root, 'synth');
    writeFileSync(file, pristine);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^error \\[build/syntax\\] definition=src/environments/bookstore\\.ts:${line}:\\d+: `, 'm'));
    expect(result.stderr).toContain('fix: ');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(treeOf(root)).toEqual(original);
  }, 240_000);

  it('a YAML error in the release lock names the lock and line, no stack', () => {
    const file = join(root, 'src/environments/releases.yaml');
    const pristine = readFileSync(file, 'utf8');
    const lines = pristine.split('\n');
    const at = lines.findIndex((l) => /^\s+\S+: \S/.test(l));
    lines.splice(at + 1, 0, '    broken: [unclosed');
    writeFileSync(file, lines.join('\n'));
    const result = run(root, 'check');
    writeFileSync(file, pristine);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[release\/invalid-lock\] .*not valid YAML/m);
    expect(result.stderr).toMatch(/defined in: src\/environments\/releases\.yaml:\d+/);
    expect(result.stderr).not.toMatch(STACK_FRAME);
  }, 240_000);

  it('a file in the way of an output directory (ENOTDIR/EEXIST) is one problem naming it, no stack', () => {
    // GIVEN a base directory replaced by a file, so synth cannot write inside it
    rmSync(join(root, 'dist/bases/flights'), { recursive: true });
    writeFileSync(join(root, 'dist/bases/flights'), 'not a directory\n');
    const before = treeOf(root);
    const result = run(root, 'synth');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[output\/not-a-directory\] field=dist\/bases\/flights\S*: cannot \w+ dist\/bases\/flights\S*: a file .*in the way/m);
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(treeOf(root)).toEqual(before);
    rmSync(join(root, 'dist/bases/flights'));
    cpSync(join(projectRoot, 'dist/bases/flights'), join(root, 'dist/bases/flights'), { recursive: true });
  }, 240_000);

  it('a model check that cannot run (tsconfig.json missing, its cache gone) is one problem line naming the file, no stack', () => {
    // GIVEN the project without tsconfig.json and without the model check's cache
    const tsconfig = readFileSync(join(root, 'tsconfig.json'), 'utf8');
    rmSync(join(root, 'tsconfig.json'));
    rmSync(join(root, 'build/model-check.json'), { force: true });
    // WHEN synth runs
    const result = run(root, 'synth');
    writeFileSync(join(root, 'tsconfig.json'), tsconfig);
    // THEN it stops with one problem naming tsconfig.json and the fix, and writes nothing
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[model\/check-failed\] definition=tsconfig\.json: the model check could not run/m);
    expect(result.stderr).toContain('fix: restore the file');
    expect(result.stderr).not.toMatch(STACK_FRAME);
    expect(treeOf(root)).toEqual(original);
  }, 240_000);

  it('`synth --help` prints the usage and writes nothing; an unknown flag exits 1', () => {
    const env = { ...process.env };
    const help = spawnSync(process.execPath, ['build/commands/synth.js', '--help'], { cwd: root, env, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^usage: npm run synth/);
    const unknown = spawnSync(process.execPath, ['build/commands/synth.js', '--ful'], { cwd: root, env, encoding: 'utf8' });
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^error \[synth\/usage\] : Unknown option '--ful'/);
    expect(treeOf(root)).toEqual(original);
  }, 240_000);
});
