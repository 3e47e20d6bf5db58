import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { load } from 'js-yaml';
import { readYamlDocuments } from '../../src/validate/schema/crd-yaml';
import { learnFieldShape, unknownFields } from '../../src/validate/schema/field-inventory';
import { kubernetesModel, runModelValidator } from '../../src/validate/schema/kubernetes-models';
import { strictSchema } from '../../src/validate/schema/strict-schema';
import { errorsOf, find, FIXTURES, validate, validObjects, withCode, type Obj } from './fixtures';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const WIDGET_CRDS = path.join(FIXTURES, 'crds-widget');

const widget = (spec: Record<string, unknown>): Obj => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec });

describe('built-in kinds (Kubernetes OpenAPI via kubernetes-models)', () => {
  test('the valid cluster has no schema findings', () => {
    // GIVEN the valid cluster / WHEN validated / THEN no schema/* finding
    expect(validate(validObjects()).filter((p) => p.code.startsWith('schema/'))).toEqual([]);
  });

  test('an unknown field is an error naming the field and the likely intended one', () => {
    // GIVEN a Deployment with a typo in spec.replicas
    const objects = validObjects();
    find(objects, 'Deployment', 'flights').spec.replicass = 3;
    // WHEN validated
    const [problem] = withCode(validate(objects), 'schema/invalid');
    // THEN the problem points at spec.replicass and suggests replicas
    expect(problem.place).toMatchObject({ cluster: 'c1', namespace: 'shop', object: 'Deployment/flights', field: 'spec.replicass', service: 'flights', definition: 'src/environments/bookstore.ts' });
    expect(problem.message).toContain('unknown field "spec.replicass"');
    expect(problem.message).toContain('did you mean "replicas"');
    expect(problem.fix).toContain('replicas');
  });

  test('unknown fields are found deep inside pod templates, but not in maps', () => {
    const objects = validObjects();
    const container = find(objects, 'Deployment', 'flights').spec.template.spec.containers[0];
    container.resources.limit = { memory: '1Gi' };
    find(objects, 'Deployment', 'flights').spec.template.metadata.labels['any.label/you-like'] = 'yes';
    const fields = withCode(validate(objects), 'schema/invalid').map((p) => p.place.field);
    expect(fields).toEqual(['spec.template.spec.containers[0].resources.limit']);
  });

  test('a wrong type is reported once per field with what was found', () => {
    const objects = validObjects();
    find(objects, 'Deployment', 'flights').spec.template.spec.containers[0].ports[0].containerPort = '8080';
    const [problem] = withCode(validate(objects), 'schema/invalid');
    expect(problem.place.field).toBe('spec.template.spec.containers[0].ports[0].containerPort');
    expect(problem.message).toContain('must be an integer, got string "8080"');
  });

  test('int-or-string and quantity fields take both forms, and nothing else', () => {
    const objects = validObjects();
    const search = find(objects, 'Deployment', 'search').spec.template.spec.containers[0];
    search.readinessProbe.tcpSocket.port = 9090; // int-or-string as an integer
    search.resources.limits.memory = 134217728; // quantity as a JSON number
    expect(withCode(validate(objects), 'schema/invalid')).toEqual([]);
    search.livenessProbe.tcpSocket.port = { port: 1 };
    const [problem] = withCode(validate(objects), 'schema/invalid');
    expect(problem.message).toMatch(/must be an integer or a string, got an object|must be a string or an integer, got an object/);
  });

  test('a missing required field is reported at the field', () => {
    const objects = validObjects();
    delete find(objects, 'Deployment', 'search').spec.selector;
    const [problem] = withCode(validate(objects), 'schema/invalid');
    expect(problem.place.field).toBe('spec.selector');
    expect(problem.message).toContain('required field "spec.selector" is missing');
  });

  test('an apiVersion the cluster no longer serves is schema/removed-api', () => {
    const objects = validObjects();
    find(objects, 'PodDisruptionBudget', 'flights').apiVersion = 'policy/v1beta1';
    const [problem] = withCode(validate(objects), 'schema/removed-api');
    expect(problem.place).toMatchObject({ object: 'PodDisruptionBudget/flights', field: 'apiVersion' });
    expect(problem.message).toContain('not served since Kubernetes 1.25');
    expect(problem.fix).toBe('Use policy/v1.');
  });

  test('the field inventory of a Deployment is learnt from its generated validator', () => {
    const model = kubernetesModel('apps/v1', 'Deployment')!;
    const shape = learnFieldShape((data) => runModelValidator(model, data))!;
    expect(shape.kind).toBe('object');
    const bad = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x', labels: { a: 'b' } }, spec: { template: { spec: { containers: [{ name: 'c', imagePullPolicy: 'Always', imagePolicy: 'x' }] } } } };
    expect(unknownFields(bad, shape).map((v) => v.params.additionalProperty)).toEqual(['imagePolicy']);
  });

  test('modules that are not top-level kinds are not kinds', () => {
    expect(kubernetesModel('apps/v1', 'DeploymentSpec')).toBeUndefined();
    expect(kubernetesModel('../../etc', 'Passwd')).toBeUndefined();
  });
});

describe('custom resources (CRD openAPIV3Schema)', () => {
  test('Flagger, Sealed Secrets and Flux kinds validate against the shared CRDs', () => {
    const objects = validObjects();
    find(objects, 'Canary', 'flights').spec.analysis.stepWeigth = 5;
    find(objects, 'Kustomization', 'apps').spec.prune = 'yes';
    const problems = withCode(validate(objects), 'schema/invalid');
    // (sorted by namespace: flux-system before shop)
    expect(problems.map((p) => [p.place.object, p.place.field])).toEqual([
      ['Kustomization/apps', 'spec.prune'],
      ['Canary/flights', 'spec.analysis.stepWeigth'],
    ]);
    expect(problems[0].message).toContain('must be a boolean, got string "yes"');
    expect(problems[1].message).toContain('(CRD canaries.flagger.app v1beta1)');
    expect(problems[1].message).toContain('did you mean "stepWeight"');
  });

  test('custom resource metadata is checked as ObjectMeta', () => {
    const objects = validObjects();
    find(objects, 'Canary', 'flights').metadata.label = { a: 'b' };
    const [problem] = withCode(validate(objects), 'schema/invalid');
    expect(problem.place).toMatchObject({ object: 'Canary/flights', field: 'metadata.label' });
    expect(problem.message).toContain('did you mean "labels"');
  });

  test('strictness respects int-or-string, preserve-unknown-fields and maps', () => {
    // GIVEN widgets using both int-or-string forms, free-form `extra` and a string map
    const good = [widget({ size: 3, extra: { anything: { goes: true } }, labels: { a: 'b' } }), { ...widget({ size: '3Gi' }), metadata: { name: 'w2', namespace: 'shop' } }];
    // THEN they pass (their namespace is not rendered here, which is another rule's business)
    expect(errorsOf(validate(good, { crdDirectory: WIDGET_CRDS })).filter((p) => p.code.startsWith('schema/'))).toEqual([]);
    // GIVEN a float for int-or-string, a value outside the enum and an unknown field
    const bad = [...validObjects(), widget({ size: 1.5, colour: 'green', sise: 1 })];
    const widgetProblems = validate(bad, { crdDirectory: WIDGET_CRDS }).filter((p) => p.place.object === 'Widget/w');
    expect(widgetProblems.map((p) => p.place.field).sort()).toEqual(['spec.colour', 'spec.sise', 'spec.size']);
  });

  test('a version the CRD does not serve is schema/unknown-kind naming the served one', () => {
    const objects = [...validObjects(), { ...widget({ size: 1 }), apiVersion: 'example.com/v1alpha1' }];
    const [problem] = validate(objects, { crdDirectory: WIDGET_CRDS }).filter((p) => p.place.object === 'Widget/w');
    expect(problem.code).toBe('schema/unknown-kind');
    expect(problem.message).toContain('not served by CRD widgets.example.com, which serves example.com/v1');
    expect(problem.fix).toBe('Change apiVersion to example.com/v1.');
  });

  test('a kind with no schema is schema/unknown-kind unless allowed', () => {
    const objects = [...validObjects(), { apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'flights', namespace: 'shop' } }];
    const [problem] = withCode(validate(objects), 'schema/unknown-kind');
    expect(problem.place).toMatchObject({ object: 'ServiceMonitor/flights', field: 'kind' });
    expect(problem.fix).toContain('allowedKindsWithoutSchema');
    expect(withCode(validate(objects, { allowedKindsWithoutSchema: ['monitoring.coreos.com/v1/ServiceMonitor'] }), 'schema/unknown-kind')).toEqual([]);
    expect(withCode(validate(objects, { allowedKindsWithoutSchema: ['ServiceMonitor'] }), 'schema/unknown-kind')).toEqual([]);
  });

  test('CRDs rendered in the cluster are schemas too', () => {
    // GIVEN the Widget CRD among the rendered objects, not in the CRD directory
    const definition = load(fs.readFileSync(path.join(WIDGET_CRDS, 'widgets.yaml'), 'utf8')) as Obj;
    const objects = [...validObjects(), definition, widget({ size: 1, bogus: 1 })];
    const problems = validate(objects).filter((p) => p.place.object === 'Widget/w');
    expect(problems.map((p) => [p.code, p.place.field])).toEqual([['schema/invalid', 'spec.bogus']]);
  });

  test('an unreadable CRD file is schema/crd-unreadable naming the file', () => {
    const [problem] = withCode(validate(validObjects(), { crdDirectory: path.join(FIXTURES, 'crds-broken') }), 'schema/crd-unreadable');
    expect(problem.place.field).toContain('broken.yaml');
    expect(problem.message).toContain('cannot be read');
  });

  test('the CRD directory defaults to $FLEET_CRD_DIR', () => {
    const saved = process.env.FLEET_CRD_DIR;
    process.env.FLEET_CRD_DIR = WIDGET_CRDS;
    try {
      const problems = validate([widget({ size: 1, bogus: true })], { crdDirectory: undefined });
      expect(problems.filter((p) => p.code === 'schema/invalid').map((p) => p.place.field)).toEqual(['spec.bogus']);
    } finally {
      if (saved === undefined) delete process.env.FLEET_CRD_DIR;
      else process.env.FLEET_CRD_DIR = saved;
    }
  });
});

describe('strictSchema', () => {
  test('closes objects with properties, except where unknown fields are preserved', () => {
    const strict = strictSchema({
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { a: { type: 'string' } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { b: { type: 'string' } } },
        port: { 'x-kubernetes-int-or-string': true },
        either: { anyOf: [{ properties: { c: {} } }] },
      },
    }) as any;
    expect(strict.additionalProperties).toBe(false);
    expect(Object.keys(strict.properties)).toEqual(expect.arrayContaining(['apiVersion', 'kind', 'metadata']));
    expect(strict.properties.spec.additionalProperties).toBe(false);
    expect(strict.properties.free.additionalProperties).toBeUndefined();
    expect(strict.properties.port).toEqual({ 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] });
    expect(strict.properties.either.anyOf[0].additionalProperties).toBeUndefined();
  });
});

describe('CRD YAML that JavaScript parsers reject', () => {
  const flagger = fs.readFileSync(path.resolve(FIXTURES, '../../../../shared/crds/flagger/flagger.app_canaries.yaml'), 'utf8');

  test('is normalised once through a Go YAML parser and cached by content', () => {
    // GIVEN Flagger's CRD (under-indented single-quoted continuation lines) and a counting normaliser
    let calls = 0;
    const cacheDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cache-test-'));
    const normalise = (text: string) => {
      calls++;
      return { ok: true as const, text: text.replace(/^(\s+)description: '[\s\S]*?'$/gm, "$1description: ''") };
    };
    // WHEN read twice with an empty cache (the in-memory cache is keyed by content, so vary it)
    const first = readYamlDocuments(`${flagger}\n# a`, { cacheDirectory, normalise });
    const second = readYamlDocuments(`${flagger}\n# a`, { cacheDirectory, normalise });
    // THEN it parses, marked normalised, and the normaliser ran once
    expect(first.ok && first.normalised).toBe(true);
    expect(second).toBe(first);
    expect(calls).toBe(1);
  });

  test('reports both failures when normalising fails too', () => {
    const result = readYamlDocuments(`${flagger}\n# b`, { cacheDirectory: fs.mkdtempSync(path.join(os.tmpdir(), 'crd-cache-test-')), normalise: () => ({ ok: false, reason: 'kubectl: not found' }) });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('kubectl: not found');
  });
});
