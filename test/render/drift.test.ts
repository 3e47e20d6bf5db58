import { appendFileSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet } from '../../src/environments';
import { findDrift } from '../../src/render/drift';
import { generatedHeader } from '../../src/render/yaml';
import { INDEX_FILE, writeOutput } from '../../src/render/write-output';
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

  it('reports what an interrupted or tampered run leaves: temporary files, orphans and refused index entries', () => {
    // GIVEN a committed tree with a temporary file of a killed synth, a generated file the index
    // does not list, a hand-made file, a flux-system file and an index entry climbing out
    const { dir } = renderToDir(fleet);
    writeFileSync(join(dir, 'clusters/production/apps.yaml.fleet-tmp-31337'), 'half');
    mkdirSync(join(dir, 'dist/bases/ghost'), { recursive: true });
    writeFileSync(join(dir, 'dist/bases/ghost/deployment.yaml'), `${generatedHeader('src/environments/gone.ts')}kind: Deployment\n`);
    writeFileSync(join(dir, 'clusters/production/notes.yaml'), 'hand: made\n');
    mkdirSync(join(dir, 'clusters/production/flux-system'), { recursive: true });
    writeFileSync(join(dir, 'clusters/production/flux-system/gotk-sync.yaml'), `${generatedHeader('flux')}x: 1\n`);
    appendFileSync(join(dir, INDEX_FILE), 'clusters/../../etc/hosts\n');

    // WHEN drift is checked
    const problems = findDrift(dir, files);

    // THEN each leftover is named, and nothing hand-made or bootstrap-owned is
    expect(problems.map((p) => [p.code, p.place.field])).toEqual([
      ['output/index-entry-refused', 'clusters/../../etc/hosts'],
      ['drift/temporary-file', 'clusters/production/apps.yaml.fleet-tmp-31337'],
      ['drift/orphan', 'dist/bases/ghost/deployment.yaml'],
    ]);
  });

  it('limits the leftover scan of a one-cluster check to that cluster', () => {
    const { dir } = renderToDir(fleet);
    writeFileSync(join(dir, 'clusters/production/x.yaml.fleet-tmp-1'), 'half');
    writeFileSync(join(dir, 'clusters/shop/y.yaml.fleet-tmp-2'), 'half');
    const shopOnly = renderOk(fleet, { clusters: ['shop'] }).files;
    expect(findDrift(dir, shopOnly, ['clusters/shop']).map((p) => [p.code, p.place.field])).toEqual([['drift/temporary-file', 'clusters/shop/y.yaml.fleet-tmp-2']]);
  });
});
