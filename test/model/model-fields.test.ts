import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fleet as sampleFleet } from '../../src/environments';
import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import { checkModelFields, closestName, editDistance } from '../../src/model/model-fields';
import { loadModelSchema, type ModelSchema } from '../../src/model/model-schema';
import { miniFleet } from '../support/fleet-fixtures';

/** A fleet value with fields the types do not have, as esbuild-bundled code would pass it on. */
function loose(value: unknown): any {
  return value;
}

describe('checkModelFields', () => {
  it('accepts the sample fleet', () => {
    expect(checkModelFields(sampleFleet)).toEqual([]);
  });

  it('rejects a misspelt service field with the place and "did you mean"', () => {
    // GIVEN periodSecond (missing s) in a readiness probe
    const fleet = miniFleet({ service: loose({ probes: { readiness: { http: { path: '/' }, periodSecond: 5 } } }) });
    // WHEN synth checks the model
    const problems = checkFleet(fleet).filter((p) => p.code === 'model/unknown-field');
    // THEN it names the file, the service, the field path and the close match
    expect(problems).toHaveLength(1);
    expect(problems[0].place).toEqual({ definition: 'test/shop.ts', service: 'web', field: 'probes.readiness.periodSecond' });
    expect(problems[0].fix).toMatch(/^did you mean "periodSeconds"\?/);
    expect(problems[0].message).toContain('ProbeSpec');
  });

  it('rejects unknown fields in environment overrides, clusters, canary strategies and traffic', () => {
    const base = miniFleet({
      service: loose({ canary: { strategy: { kind: 'canary', stepWieght: 10 } }, traffic: { timeout: '2s', retrys: { attempts: 2 } } }),
      cluster: loose({ ingress: { controller: 'traefik', clasName: 'x' } }),
    });
    const fleet: FleetSpec = {
      ...base,
      systems: [{ ...base.systems[0], environments: [loose({ ...base.systems[0].environments[0], services: { web: { tag: '1.0.0', replica: 3 } } })] }],
    };
    const problems = checkModelFields(fleet);
    const summary = problems.map((p) => [p.place.cluster ?? p.place.environment ?? '-', p.place.service ?? '-', p.place.field, p.fix.match(/did you mean "([^"]+)"/)?.[1]]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['-', 'web', 'canary.strategy.stepWieght', 'stepWeight'],
        ['-', 'web', 'traffic.retrys', 'retries'],
        ['staging', 'web', 'services.web.replica', 'replicas'],
        ['stage', '-', 'ingress.clasName', 'className'],
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it('lists the known fields when nothing is close', () => {
    const problems = checkModelFields(miniFleet({ service: loose({ sidekick: { image: 'x' } }) }));
    expect(problems).toHaveLength(1);
    expect(problems[0].fix).toMatch(/^remove it, or use one of the fields of ServiceSpec: .*initContainers/);
  });

  it('picks the union member a value is meant to be (env values, volumes)', () => {
    const fleet = miniFleet({
      service: loose({
        env: { A: { secret: { name: 's', key: 'k' } }, B: { serviceAddress: { service: 'web', prot: 'http' } } },
        volumes: { data: { emptyDir: { sizeLimt: '1Gi' } } },
      }),
    });
    const fields = checkModelFields(fleet).map((p) => p.place.field);
    expect(fields.sort()).toEqual(['env.B.serviceAddress.prot', 'volumes.data.emptyDir.sizeLimt']);
  });

  it('says the schema is missing instead of passing everything', () => {
    expect(checkModelFields(miniFleet(), null).map((p) => p.code)).toEqual(['model/schema-missing']);
  });
});

describe('did you mean', () => {
  it('measures typos as edits, swaps included', () => {
    expect(editDistance('periodSecond', 'periodSeconds')).toBe(1);
    expect(editDistance('retires', 'retries')).toBe(1);
    expect(closestName('REPLICAS', ['replicas', 'tag'])).toBe('replicas');
    expect(closestName('colour', ['name', 'image'])).toBeUndefined();
  });
});

describe('the schema is derived from the model types (scripts/model-check.mjs)', () => {
  const project = resolve(__dirname, '../..');
  let root: string;

  beforeAll(() => {
    // A copy of what the fleet program reads, so the real tree is never touched.
    root = mkdtempSync(join(tmpdir(), 'model-check-'));
    // The whole of src/: environment files import chart functions (src/charts/custom) too.
    for (const path of ['src', 'scripts', 'tsconfig.json', 'package.json']) cpSync(join(project, path), join(root, path), { recursive: true });
    symlinkSync(join(project, 'node_modules'), join(root, 'node_modules'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** The build step's model check, as `npm run synth` runs it (its stderr lines are the problems). */
  function run(): { status: number | null; errors: string[]; schema: ModelSchema } {
    const result = spawnSync(process.execPath, [join(root, 'scripts/model-check.mjs')], { encoding: 'utf8' });
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error '));
    return { status: result.status, errors, schema: JSON.parse(readFileSync(join(root, 'build/model-schema.json'), 'utf8')) };
  }

  it('knows a field as soon as a model interface declares it, and fails on a type error with the compiler message', () => {
    // GIVEN a new optional field on ServiceSpec
    const servicePath = join(root, 'src/model/service.ts');
    writeFileSync(servicePath, readFileSync(servicePath, 'utf8').replace('export interface ServiceSpec {', 'export interface ServiceSpec {\n  readonly priorityClass?: string;'));
    // WHEN the build step runs, THEN the schema has it (nobody listed it anywhere)
    const first = run();
    expect(first.errors).toEqual([]);
    expect(first.status).toBe(0);
    expect(Object.keys(first.schema.types.ServiceSpec.props)).toContain('priorityClass');
    expect(Object.keys(first.schema.types.ServiceSpec.props).sort()).toEqual(Object.keys(loadModelSchema()!.types.ServiceSpec.props).concat('priorityClass').sort());

    // GIVEN a type error in an environment file
    const hipstershop = join(root, 'src/environments/hipstershop.ts');
    writeFileSync(hipstershop, readFileSync(hipstershop, 'utf8').replace("image: 'redis',", 'image: 42,'));
    // THEN the check fails with the compiler's message at the file and line
    const second = run();
    expect(second.status).toBe(1);
    expect(second.errors.length).toBeGreaterThan(0);
    expect(second.errors[0]).toMatch(/^error \[model\/type-error\] src\/environments\/hipstershop\.ts:\d+:\d+: TS2322: Type 'number' is not assignable to type 'string'/);

    // GIVEN the error fixed, and an environment file that uses a Node API (the fast pass runs
    // without @types/node) THEN the check passes: missing Node types never read as user errors
    writeFileSync(hipstershop, readFileSync(hipstershop, 'utf8').replace('image: 42,', "image: 'redis',") + "\nimport { readFileSync } from 'node:fs';\nexport const hostname = readFileSync('/etc/hostname', 'utf8').trim();\n");
    const third = run();
    expect(third.errors).toEqual([]);
    expect(third.status).toBe(0);
  }, 120_000);
});
