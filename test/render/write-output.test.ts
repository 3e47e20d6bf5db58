import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
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
