import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet } from '../../src/environments';
import { findDrift } from '../../src/render/drift';
import { generatedHeader } from '../../src/render/yaml';
import { writeOutput } from '../../src/render/write-output';
import { renderOk, renderToDir } from '../support/render-to-dir';

describe('findDrift', () => {
  const files = renderOk(fleet).files;

  it('finds nothing right after a synth', () => {
    const { dir } = renderToDir(fleet);
    expect(findDrift(dir, files)).toEqual([]);
  });

  it('reports hand edits, missing files and stale generated files by path', () => {
    // GIVEN a committed tree that was edited by hand, lost a file and kept a file no longer generated
    const { dir } = renderToDir(fleet);
    writeFileSync(join(dir, 'clusters/staging/infrastructure.yaml'), 'edited: by hand\n');
    unlinkSync(join(dir, 'dist/bases/flights/service.yaml'));
    writeOutput(dir, new Map([...files, ['clusters/staging/old.yaml', `${generatedHeader('test')}old: true\n`]]));
    writeFileSync(join(dir, 'clusters/staging/infrastructure.yaml'), 'edited: by hand\n');

    // WHEN drift is checked against a fresh render
    const problems = findDrift(dir, files);

    // THEN each is named with the command that fixes it
    expect(problems.map((p) => [p.code, p.place.field])).toEqual([
      ['drift/changed', 'clusters/staging/infrastructure.yaml'],
      ['drift/stale', 'clusters/staging/old.yaml'],
    ]);
    expect(problems[0].fix).toContain('npm run synth');
  });

  it("checks a one-cluster render for staleness only under that cluster's directory", () => {
    // GIVEN the whole fleet committed, and a render of cluster shop alone
    const { dir } = renderToDir(fleet);
    const shopOnly = renderOk(fleet, { clusters: ['shop'] }).files;
    writeOutput(dir, new Map([...files, ['clusters/shop/old.yaml', `${generatedHeader('test')}old: true\n`]]));
    // THEN the other clusters' files are not stale, but shop's leftover is
    expect(findDrift(dir, shopOnly, ['clusters/shop']).map((p) => [p.code, p.place.field])).toEqual([['drift/stale', 'clusters/shop/old.yaml']]);
  });
});
