import fc from 'fast-check';
import { summarize, validateCluster } from '../../src/validate/validate-cluster';
import { errorsOf, find, OPTIONS, validate, validObjects, withCode } from './fixtures';
import { namespaceObject, serviceObjects, type ServiceShape } from './generated-cluster';

describe('validateCluster', () => {
  test('a valid small cluster yields zero errors and zero warnings', () => {
    // GIVEN Namespace, Deployments, Service, Ingress, HPA, PDB, ConfigMap, NetworkPolicy,
    // ServiceAccount, Flagger Canary, SealedSecret and Flux Kustomizations that fit together
    const objects = validObjects();
    expect(new Set(objects.map((o) => o.kind))).toEqual(
      new Set(['Namespace', 'ServiceAccount', 'ConfigMap', 'SealedSecret', 'Deployment', 'Canary', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Ingress', 'NetworkPolicy', 'Service', 'Kustomization']),
    );
    // WHEN validated as a production cluster THEN nothing is found
    expect(validate(objects)).toEqual([]);
  });

  test('problems come out in the same order whatever the input order', () => {
    const objects = validObjects();
    find(objects, 'Deployment', 'flights').spec.replicass = 2;
    find(objects, 'Deployment', 'search').spec.template.spec.containers[0].image = 'search:latest';
    find(objects, 'Kustomization', 'apps').spec.path = './nowhere';
    const forward = validate(objects);
    const backward = validate([...objects].reverse());
    expect(backward).toEqual(forward);
    expect(forward.map((p) => p.place.object)).toEqual(['Kustomization/apps', 'Deployment/flights', 'Deployment/search']);
  });

  test('place.definition comes from the annotation, a sibling workload, or the options', () => {
    const objects = validObjects();
    find(objects, 'Service', 'search').spec.selector = { 'app.kubernetes.io/name': 'nope' };
    // The Service has no annotation: it borrows the search Deployment's
    expect(withCode(validate(objects), 'ref/dangling-service')[0].place.definition).toBe('src/environments/search.ts');
    delete find(objects, 'Deployment', 'search').metadata.annotations;
    expect(withCode(validate(objects, { definitions: { search: 'src/services/search.ts' } }), 'ref/dangling-service')[0].place.definition).toBe('src/services/search.ts');
    expect(withCode(validate(objects), 'ref/dangling-service')[0].place.definition).toBeUndefined();
  });

  test('malformed objects are reported, not thrown', () => {
    const objects = [...validObjects(), { kind: 'ConfigMap', metadata: {} } as never];
    expect(withCode(validate(objects), 'schema/invalid')[0].message).toContain('lacks apiVersion, kind or metadata.name');
  });

  test('random valid Deployments and Services always validate clean (property)', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    const shape: fc.Arbitrary<ServiceShape> = fc.record({
      name,
      namespace: fc.constantFrom('shop', 'payments', 'search'),
      replicas: fc.integer({ min: 1, max: 5 }),
      port: fc.integer({ min: 1024, max: 65535 }),
      portName: fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/),
      targetByName: fc.boolean(),
      image: fc.tuple(fc.constantFrom('registry.example.com/team/', 'localhost:5000/', ''), name, fc.constantFrom(':1.0.0', ':v2', '@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef')).map((p) => p.join('')),
      cpu: fc.constantFrom('50m', '100m', '0.5', '1', '2500m', '16'),
      memoryMi: fc.integer({ min: 16, max: 65536 }),
      extraLabels: fc.dictionary(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxKeys: 2 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(shape, { minLength: 1, maxLength: 4, selector: (s) => `${s.namespace}/${s.name}` }), (services) => {
        const namespaces = [...new Set(services.map((s) => s.namespace))].map(namespaceObject);
        const objects = [...namespaces, ...services.flatMap(serviceObjects)];
        const problems = validateCluster({ cluster: 'prop', production: true, kubernetesVersion: '1.31', objects }, OPTIONS);
        expect(problems).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });

  test('validates thousands of objects quickly once schemas are compiled', () => {
    // GIVEN 500 services (2,000+ objects) in 10 namespaces
    const services = Array.from({ length: 500 }, (_, i): ServiceShape => ({
      name: `svc${i}`,
      namespace: `ns${i % 10}`,
      replicas: 1 + (i % 3),
      port: 8080,
      portName: 'http',
      targetByName: i % 2 === 0,
      image: `registry.example.com/svc${i}:1.0.${i}`,
      cpu: '100m',
      memoryMi: 256,
      extraLabels: {},
    }));
    const objects = [...Array.from({ length: 10 }, (_, i) => namespaceObject(`ns${i}`)), ...services.flatMap(serviceObjects)];
    validate(validObjects()); // warm the schema caches
    // WHEN validated
    const started = performance.now();
    const problems = validateCluster({ cluster: 'big', production: true, objects }, OPTIONS);
    const elapsed = performance.now() - started;
    // THEN clean, and well under the budget of ~1 s per 3,000 objects
    expect(errorsOf(problems)).toEqual([]);
    expect(elapsed).toBeLessThan(3000);
  });
});

describe('summarize', () => {
  test('counts objects, clusters, unwaived errors, warnings and waived findings', () => {
    const problem = { code: 'x', place: {}, message: 'm', fix: 'f' };
    const summary = summarize([
      { cluster: 'a', objects: 10, problems: [{ ...problem, severity: 'error' }, { ...problem, severity: 'warning' }] },
      { cluster: 'b', objects: 5, problems: [{ ...problem, severity: 'error', waived: { reason: 'r' } }] },
    ]);
    expect(summary).toEqual({ objects: 15, clusters: 2, errors: 1, warnings: 1, waived: 1, line: '15 objects in 2 clusters, 1 error, 1 warning (1 waived)' });
    expect(summarize([]).line).toBe('0 objects in 0 clusters, 0 errors, 0 warnings');
  });
});
