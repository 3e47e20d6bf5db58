import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { synth } from '../../src/commands/synth';
import { FleetError, formatProblem, type Problem } from '../../src/model/problem';
import { validateFleet } from '../../src/validate/validate-fleet';
import { miniFleet } from '../support/fleet-fixtures';
import { tempDir } from '../support/render-to-dir';
import { FIXTURES, validate, validObjects } from './fixtures';

const MISSING = path.join(tempDir('fleet-no-crds-'), 'crds-not-here');

describe('a first run without the CRD directory explains itself', () => {
  test('one problem names the directory and FLEET_CRD_DIR, instead of one unknown kind per custom resource', () => {
    // GIVEN the valid cluster (Flux Kustomizations, a Flagger Canary, SealedSecrets …) and no CRD directory
    const problems = validate(validObjects(), { crdDirectory: MISSING });
    // THEN exactly one schema problem: the directory is missing, and how to point at one
    const schema = problems.filter((p) => p.code.startsWith('schema/'));
    expect(schema.map((p) => p.code)).toEqual(['schema/crd-directory-missing']);
    expect(schema[0].message).toContain(MISSING);
    expect(schema[0].fix).toContain('FLEET_CRD_DIR');
  });

  test('with the directory present, an unknown custom resource kind is still schema/unknown-kind', () => {
    const objects = [...validObjects(), { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'shop' } }];
    const problems = validate(objects, { crdDirectory: path.join(FIXTURES, 'crds-widget') });
    expect(problems.filter((p) => p.code === 'schema/unknown-kind').map((p) => p.place.object)).toContain('Gadget/g');
    expect(problems.map((p) => p.code)).not.toContain('schema/crd-directory-missing');
  });

  test('across a fleet it is reported once, not once per cluster', () => {
    const objects = validObjects();
    const clusters = ['a', 'b', 'c'].map((name) => ({ name, production: false, kubernetesVersion: '1.31', objects }));
    const { results, summary } = validateFleet(miniFleet(), clusters, { crdDirectory: MISSING, pathExists: () => true });
    const missing = results.flatMap((r) => r.problems).filter((p) => p.code === 'schema/crd-directory-missing');
    expect(missing).toHaveLength(1);
    expect(results.flatMap((r) => r.problems).filter((p) => p.code === 'schema/unknown-kind')).toEqual([]);
    expect(summary.errors).toBeGreaterThanOrEqual(1);
  });

  test('synth stops with that one problem (no stack trace) and writes nothing', async () => {
    // GIVEN FLEET_CRD_DIR pointing nowhere, as on a fresh clone without ../shared/crds
    const saved = process.env.FLEET_CRD_DIR;
    process.env.FLEET_CRD_DIR = MISSING;
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const out = tempDir();
    let thrown: unknown;
    try {
      await synth(['--out', out], out, miniFleet());
    } catch (cause) {
      thrown = cause;
    } finally {
      stdout.mockRestore();
      if (saved === undefined) delete process.env.FLEET_CRD_DIR;
      else process.env.FLEET_CRD_DIR = saved;
    }
    // THEN the one error says what is missing and how to point at it
    expect(thrown).toBeInstanceOf(FleetError);
    const problems: readonly Problem[] = (thrown as FleetError).problems;
    expect(problems.map((p) => p.code)).toEqual(['schema/crd-directory-missing']);
    expect(formatProblem(problems[0])).toMatch(/^error \[schema\/crd-directory-missing\] field=FLEET_CRD_DIR: The CRD directory .* does not exist/);
    expect(readdirSync(out)).toEqual([]);
  });
});
