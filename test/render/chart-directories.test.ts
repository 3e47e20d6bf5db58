import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet as sampleFleet } from '../../src/environments';
import { chartDirectoryProblems } from '../../src/render/chart-directories';
import { escapeHatchFleet } from '../support/escape-hatch-fleet';
import { tempDir } from '../support/render-to-dir';

describe('chart directories of this repository', () => {
  it('are found in the project root, and a missing one is a model error naming the app and path', () => {
    // GIVEN the escape-hatch fleet, whose loadgenerator is released from helm/loadgenerator
    const fleet = escapeHatchFleet();
    const root = tempDir();
    // THEN without the directory, synth and check stop with the app and its path
    expect(chartDirectoryProblems(fleet, root)).toEqual([
      expect.objectContaining({ code: 'model/chart-path-missing', place: expect.objectContaining({ service: 'loadgenerator', field: 'chart.path' }), message: expect.stringContaining('helm/loadgenerator') }),
    ]);
    // AND with a chart there, nothing is reported
    mkdirSync(join(root, 'helm/loadgenerator'), { recursive: true });
    writeFileSync(join(root, 'helm/loadgenerator/Chart.yaml'), 'apiVersion: v2\nname: loadgenerator\nversion: 0.1.0\n');
    expect(chartDirectoryProblems(fleet, root)).toEqual([]);
  });

  it('the sample fleet\'s chart directories exist', () => {
    expect(chartDirectoryProblems(sampleFleet, join(__dirname, '../..'))).toEqual([]);
  });
});
