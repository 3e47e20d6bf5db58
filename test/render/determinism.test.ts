import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fleet } from '../../src/environments';
import { renderFleet } from '../../src/render/render-fleet';
import { writeOutput } from '../../src/render/write-output';
import { renderOk, renderToDir } from '../support/render-to-dir';

function tree(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      return statSync(path).isDirectory() ? Object.entries(tree(path, `${prefix}${entry}/`)) : [[`${prefix}${entry}`, readFileSync(path, 'utf8')]];
    }),
  );
}

describe('determinism', () => {
  it('two renders into two directories are byte-identical, and a re-render writes nothing', () => {
    const first = renderToDir(fleet);
    const second = renderToDir(fleet);
    expect(tree(second.dir)).toEqual(tree(first.dir));
    expect(writeOutput(first.dir, renderOk(fleet).files).written).toEqual([]);
  });

  it('lists files in sorted order', () => {
    const paths = [...renderOk(fleet).files.keys()];
    expect(paths).toEqual([...paths].sort());
  });

  it('renders no timestamps, random suffixes or cdk8s construct-path hashes', () => {
    const text = [...renderOk(fleet).files.values()].join('\n');
    expect(text).not.toMatch(/cdk8s\.io\/metadata\.addr|creationTimestamp|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).not.toMatch(/name: [a-z-]+-c8[0-9a-f]{6,}/);
  });

  it('renders one cluster alone byte-identical to its part of a full render', () => {
    const full = renderOk(fleet).files;
    for (const cluster of fleet.clusters) {
      const single = renderFleet(fleet, { clusters: [cluster.name] }).files;
      expect(single.size).toBeGreaterThan(0);
      for (const [path, content] of single) expect({ path, content }).toEqual({ path, content: full.get(path) });
    }
  });

  it('rejects an unknown --cluster with the known names', () => {
    const result = renderFleet(fleet, { clusters: ['prod'] });
    expect(result.files.size).toBe(0);
    expect(result.problems[0]).toMatchObject({ code: 'model/unknown-cluster' });
    expect(result.problems[0].fix).toContain('production');
  });
});
