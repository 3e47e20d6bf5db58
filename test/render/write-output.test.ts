import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { FleetError, type Problem } from '../../src/model/problem';
import { acquireOutputLock, LOCK_FILE } from '../../src/render/output-lock';
import { INDEX_FILE, readIndex, writeOutput } from '../../src/render/write-output';
import { generatedHeader } from '../../src/render/yaml';
import { tempDir } from '../support/render-to-dir';

const generated = (body: string) => `${generatedHeader('test')}${body}\n`;

function put(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function allFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry.startsWith(LOCK_FILE)) return [`${prefix}${entry}`];
    return statSync(path).isDirectory() ? allFiles(path, `${prefix}${entry}/`) : [`${prefix}${entry}`];
  });
}

describe('writeOutput', () => {
  it('prunes only files it generated, never flux bootstrap or hand-made files', () => {
    // GIVEN a previous synth output next to flux bootstrap files and a hand-made file
    const root = tempDir();
    writeOutput(root, new Map([
      ['clusters/a/apps.yaml', generated('a: 1')],
      ['clusters/a/apps/old/kustomization.yaml', generated('old: 1')],
      ['clusters/a/edited.yaml', generated('edited: 1')],
    ]));
    put(root, 'clusters/a/flux-system/gotk-components.yaml', 'bootstrap: true\n');
    put(root, 'clusters/a/flux-system/kustomization.yaml', 'resources: [gotk-components.yaml]\n');
    put(root, 'clusters/a/notes.yaml', 'hand: made\n');
    put(root, 'clusters/a/edited.yaml', 'edited by hand, marker removed\n');

    // WHEN the next synth no longer produces the old files
    const report = writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 2')]]));

    // THEN only the stale generated file is deleted (and its emptied directory), the rest stays
    expect(report.deleted).toEqual(['clusters/a/apps/old/kustomization.yaml']);
    expect(report.kept).toEqual(['clusters/a/edited.yaml']);
    expect(existsSync(join(root, 'clusters/a/apps/old'))).toBe(false);
    expect(readFileSync(join(root, 'clusters/a/flux-system/gotk-components.yaml'), 'utf8')).toBe('bootstrap: true\n');
    expect(readFileSync(join(root, 'clusters/a/notes.yaml'), 'utf8')).toBe('hand: made\n');
    expect(readFileSync(join(root, 'clusters/a/edited.yaml'), 'utf8')).toBe('edited by hand, marker removed\n');
    expect(readIndex(root)).toEqual(['clusters/a/apps.yaml']);
  });

  it('writes only files whose bytes changed', () => {
    const root = tempDir();
    const files = new Map([['dist/a.yaml', generated('a: 1')], ['dist/b.yaml', generated('b: 1')]]);
    expect(writeOutput(root, files).written).toHaveLength(2);
    const mtime = statSync(join(root, 'dist/a.yaml')).mtimeMs;
    const report = writeOutput(root, new Map([...files, ['dist/b.yaml', generated('b: 2')]]));
    expect(report.written).toEqual(['dist/b.yaml']);
    expect(report.unchanged).toBe(1);
    expect(statSync(join(root, 'dist/a.yaml')).mtimeMs).toBe(mtime);
  });

  it('leaves the previous output untouched and no temporary files when a write fails', () => {
    // GIVEN a previous output, and a new render whose second file cannot be written
    const root = tempDir();
    writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 1')]]));
    put(root, 'clusters/blocked', 'a file where a directory is needed\n');
    const before = allFiles(root).map((path) => [path, readFileSync(join(root, path), 'utf8')]);

    // WHEN writing fails midway
    expect(() =>
      writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 2')], ['clusters/blocked/x.yaml', generated('x: 1')]])),
    ).toThrow();

    // THEN every file is as it was and nothing is left behind
    expect(allFiles(root).map((path) => [path, readFileSync(join(root, path), 'utf8')])).toEqual(before);
  });

  it('keeps the index entries of other clusters when rendering one cluster', () => {
    const root = tempDir();
    writeOutput(root, new Map([['clusters/a/x.yaml', generated('x')], ['clusters/b/y.yaml', generated('y')]]));
    const report = writeOutput(root, new Map([['clusters/a/z.yaml', generated('z')]]), { scope: ['clusters/a'] });
    expect(report.deleted).toEqual(['clusters/a/x.yaml']);
    expect(existsSync(join(root, 'clusters/b/y.yaml'))).toBe(true);
    expect(readIndex(root)).toEqual(['clusters/a/z.yaml', 'clusters/b/y.yaml']);
    expect(readFileSync(join(root, INDEX_FILE), 'utf8')).toMatch(/^# /);
  });
});

describe('writeOutput containment', () => {
  const outside = () => {
    // A directory next to the output root: what a hostile index or link aims at.
    const dir = tempDir('fleet-outside-');
    put(dir, 'victim.yaml', generated('victim: 1'));
    return dir;
  };

  it.each([
    ['a parent-relative path', (victim: string, root: string) => `dist/../${relative(root, victim)}`],
    ['an absolute path', (victim: string) => victim],
    ['a path outside dist/ and clusters/', () => 'src/environments/releases.yaml'],
    ['a flux-system file', () => 'clusters/a/flux-system/gotk-sync.yaml'],
    ['a nested flux-system file', () => 'clusters/a/apps/flux-system/x.yaml'],
    ['an unnormalised path', () => 'clusters/./a/apps.yaml'],
    ['a path with an empty segment', () => 'clusters//a/apps.yaml'],
    ['a backslash path', () => 'clusters\\..\\..\\x.yaml'],
    ['the index itself', () => INDEX_FILE],
  ])('refuses an index entry that is %s, deletes nothing and writes nothing', (_name, entry) => {
    // GIVEN a previous output whose index was edited to list a file synth never wrote
    const root = tempDir();
    const victim = join(outside(), 'victim.yaml');
    put(root, 'clusters/a/flux-system/gotk-sync.yaml', generated('bootstrap'));
    put(root, 'clusters/a/apps/flux-system/x.yaml', generated('x'));
    put(root, 'src/environments/releases.yaml', generated('lock'));
    writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 1')]]));
    const hostile = entry(victim, root);
    writeFileSync(join(root, INDEX_FILE), `${readFileSync(join(root, INDEX_FILE), 'utf8')}${hostile}\n`);
    const before = allFiles(root).map((path) => [path, readFileSync(join(root, path), 'utf8')]);

    // WHEN the next synth no longer renders anything
    const thrown = fleetError(() => writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 2')]])));

    // THEN it refuses with the entry named, and nothing was deleted or written
    expect(thrown.map((p) => p.code)).toEqual(['output/index-entry-refused']);
    expect(thrown[0].message).toContain(JSON.stringify(hostile));
    expect(readFileSync(victim, 'utf8')).toBe(generated('victim: 1'));
    expect(allFiles(root).map((path) => [path, readFileSync(join(root, path), 'utf8')])).toEqual(before);
  });

  it('refuses to write or prune through a directory symlink that leads out of the output, naming the path', () => {
    // GIVEN a service directory replaced by a link to a directory outside the repository
    const root = tempDir();
    const target = outside();
    writeOutput(root, new Map([['clusters/b/apps/shop/web/deployment.yaml', generated('old')], ['clusters/b/apps/shop/web/victim.yaml', generated('old')]]));
    rmSync(join(root, 'clusters/b/apps/shop/web'), { recursive: true });
    symlinkSync(target, join(root, 'clusters/b/apps/shop/web'));

    // WHEN synth writes one file there and would prune the other
    const thrown = fleetError(() => writeOutput(root, new Map([['clusters/b/apps/shop/web/deployment.yaml', generated('new')]])));

    // THEN both are refused with the link named, and the outside directory is untouched
    expect(thrown.map((p) => p.code)).toEqual(['output/outside-output', 'output/outside-output']);
    expect(thrown[0].message).toContain('clusters/b/apps/shop/web is a symbolic link to');
    expect(readdirSync(target).sort()).toEqual(['victim.yaml']);
    expect(readFileSync(join(target, 'victim.yaml'), 'utf8')).toBe(generated('victim: 1'));
  });

  it('refuses a symlinked output root (dist/ itself) and a file symlink leading out', () => {
    const root = tempDir();
    const target = outside();
    symlinkSync(target, join(root, 'dist'));
    expect(fleetError(() => writeOutput(root, new Map([['dist/bases/x/a.yaml', generated('a')]]))).map((p) => p.code)).toContain('output/outside-output');
    expect(readdirSync(target)).toEqual(['victim.yaml']);

    const second = tempDir();
    mkdirSync(join(second, 'clusters/c'), { recursive: true });
    symlinkSync(join(target, 'victim.yaml'), join(second, 'clusters/c/apps.yaml'));
    const thrown = fleetError(() => writeOutput(second, new Map([['clusters/c/apps.yaml', generated('c')]])));
    expect(thrown[0].message).toMatch(/clusters\/c\/apps.yaml is a symbolic link to .*victim.yaml/);
    expect(readFileSync(join(target, 'victim.yaml'), 'utf8')).toBe(generated('victim: 1'));
  });

  it('follows a link that stays inside the output roots, but not one into flux-system/', () => {
    const root = tempDir();
    mkdirSync(join(root, 'clusters/real'), { recursive: true });
    symlinkSync('real', join(root, 'clusters/alias'));
    writeOutput(root, new Map([['clusters/alias/apps.yaml', generated('a')]]));
    expect(readFileSync(join(root, 'clusters/real/apps.yaml'), 'utf8')).toBe(generated('a'));

    mkdirSync(join(root, 'clusters/x/flux-system'), { recursive: true });
    symlinkSync('flux-system', join(root, 'clusters/x/apps'));
    const thrown = fleetError(() => writeOutput(root, new Map([['clusters/x/apps/k.yaml', generated('k')]])));
    expect(thrown[0].message).toContain('clusters/x/apps is a symbolic link');
    expect(readdirSync(join(root, 'clusters/x/flux-system'))).toEqual([]);
  });
});

describe('writeOutput after an interrupted run', () => {
  const leftovers = ['clusters/a/apps.yaml.fleet-tmp-99999', 'clusters/gone/x.yaml.fleet-tmp-7', 'dist/.generated-files.fleet-tmp-4242'];
  const interrupted = () => {
    const root = tempDir();
    writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 1')]]));
    for (const path of leftovers) put(root, path, 'half a fi');
    return root;
  };

  it('removes temporary files a killed run left (its lock is taken over), and reports them', () => {
    const root = interrupted();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(root, LOCK_FILE), `${dead} ${hostname()}\n`);
    const report = writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 1')]]));
    expect(report.notices.map((p) => p.code)).toEqual(['output/stale-lock']);
    expect(report.temporariesRemoved).toEqual(leftovers);
    expect(allFiles(root).filter((path) => path.includes('fleet-tmp'))).toEqual([]);
  });

  it('sweeps the tree after a clean previous run only when asked (a full render)', () => {
    const root = interrupted();
    expect(writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 1')]])).temporariesRemoved).toEqual([]);
    expect(allFiles(root).filter((path) => path.includes('fleet-tmp'))).toEqual(leftovers);
    expect(writeOutput(root, new Map([['clusters/a/apps.yaml', generated('a: 1')]]), { sweepTemporaries: true }).temporariesRemoved).toEqual(leftovers);
    expect(allFiles(root).filter((path) => path.includes('fleet-tmp'))).toEqual([]);
  });

  it('turns a file in the way of a directory (ENOTDIR) into a problem naming it', () => {
    const root = tempDir();
    put(root, 'clusters/a', 'a file where a cluster directory belongs\n');
    const thrown = fleetError(() => writeOutput(root, new Map([['clusters/a/apps/x.yaml', generated('x')]])));
    expect(thrown[0].code).toMatch(/^output\/(not-a-directory|io-failed)$/);
    expect(thrown[0].message).toContain('clusters/a');
  });
});

describe('output lock', () => {
  it('refuses a second writer while the first holds the lock, naming the owner', () => {
    const root = tempDir();
    // A live process other than this one: the parent (jest) holds the lock.
    writeFileSync(join(root, LOCK_FILE), `${process.ppid} ${hostname()}\n`);
    const thrown = fleetError(() => writeOutput(root, new Map([['clusters/a/x.yaml', generated('x')]])));
    expect(thrown.map((p) => p.code)).toEqual(['output/locked']);
    expect(thrown[0].message).toContain(`process ${process.ppid}`);
    expect(existsSync(join(root, 'clusters'))).toBe(false);
  });

  it('takes over a lock left by a dead process, with a warning, and releases it after', () => {
    const root = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    writeFileSync(join(root, LOCK_FILE), `${dead} ${hostname()}\n`);
    writeFileSync(join(root, `${LOCK_FILE}.${dead}`), 'a claim the dead process never linked');
    const report = writeOutput(root, new Map([['clusters/a/x.yaml', generated('x')]]));
    expect(report.notices.map((p) => p.code)).toEqual(['output/stale-lock']);
    expect(report.notices[0].message).toContain(`process ${dead}`);
    expect(readdirSync(root).filter((name) => name.startsWith(LOCK_FILE))).toEqual([]);
  });

  it('is re-entrant within one process and released when the last hold ends', () => {
    const root = tempDir();
    const outer = acquireOutputLock(root);
    writeOutput(root, new Map([['clusters/a/x.yaml', generated('x')]]));
    expect(existsSync(join(root, LOCK_FILE))).toBe(true);
    outer.release();
    expect(existsSync(join(root, LOCK_FILE))).toBe(false);
  });
});

function fleetError(run: () => unknown): Problem[] {
  try {
    run();
  } catch (cause) {
    if (cause instanceof FleetError) return [...cause.problems];
    throw cause;
  }
  throw new Error('expected a FleetError');
}
