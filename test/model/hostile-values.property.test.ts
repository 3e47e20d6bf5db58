// Property: for random hostile values in the places users type them (image, hosts, paths, labels,
// config keys, mount paths, capabilities, namespaces), synth either stops at the model with a
// problem naming the service and field, or renders objects the API-server rules accept. The model
// checks are never looser than the rules on rendered objects.
import fc from 'fast-check';
import { checkFleet } from '../../src/model/check-model';
import type { EnvironmentSpec } from '../../src/model/environment';
import type { ServiceSpec } from '../../src/model/service';
import { renderFleet } from '../../src/render/render-fleet';
import { validateFleet } from '../../src/validate/validate-fleet';
import { miniFleet } from '../support/fleet-fixtures';

const hostile = fc.oneof(
  fc.constantFrom('', ' ', '.', '..', '../x', '/', '//', 'a/b', 'A', 'x'.repeat(64), 'x'.repeat(254), '{x}', 'http://a.b', '*', '*.a.b', 'a..b', '-a', 'a-', 'a_b', 'a.b', 'ok', 'tmp', '/tmp', '/etc/app'),
  fc.string({ maxLength: 12 }),
  fc.stringMatching(/^[a-zA-Z0-9._\/\- ]{0,16}$/),
);

interface Mutation {
  readonly service: Partial<ServiceSpec>;
  readonly namespace?: string;
}

/** Mostly a valid value, sometimes a hostile one: each run breaks few fields, so both outcomes occur. */
const or = <T,>(valid: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: bad, weight: 1 });
const name = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  service: fc.record(
    {
      image: or(fc.constantFrom('example/web', 'ghcr.io/org/web', 'localhost:5000/a_b/c'), hostile),
      labels: fc.dictionary(or(name, hostile), or(name, hostile), { maxKeys: 2 }),
      annotations: fc.dictionary(or(fc.constantFrom('example.com/owner', 'note'), hostile), fc.string(), { maxKeys: 1 }),
      config: fc.dictionary(or(fc.constantFrom('APP_MODE', 'app.properties', '.hidden', 'a..b'), hostile), fc.string({ maxLength: 3 }), { maxKeys: 2 }),
      ingress: fc.record({ hosts: fc.array(or(fc.constantFrom('{service}.{domain}', '*.{domain}', 'api.shop.test'), hostile), { minLength: 1, maxLength: 2 }), paths: fc.array(or(fc.constantFrom('/', '/api', '/v1/'), hostile), { minLength: 1, maxLength: 2 }) }),
      configFiles: fc.record({ mountPath: or(fc.constantFrom('/etc/web', '/config'), hostile), files: fc.dictionary(or(fc.constantFrom('settings.json', 'a.yaml'), hostile), fc.constant('x'), { minKeys: 1, maxKeys: 1 }) }),
      security: fc.record({ addCapabilities: fc.record({ capabilities: fc.array(or(fc.constant('NET_BIND_SERVICE'), fc.constantFrom('CHOWN', 'SYS_ADMIN', 'NET_ADMIN')), { maxLength: 2 }), reason: fc.constantFrom('x', 'needed') }) }),
    },
    { requiredKeys: [] },
  ),
  namespace: fc.option(or(fc.constantFrom('shop', 'team-a'), fc.constantFrom('default', 'kube-system', 'flux-system', 'kube-public')), { nil: undefined }),
});

function fleetOf(m: Mutation) {
  const environments: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', namespace: m.namespace ?? 'shop', services: { web: { tag: '1.0.0' } } }];
  return miniFleet({ service: m.service, system: { environments } });
}

test('hostile values are refused at the model, naming service and field, or render objects the API server accepts', () => {
  let refused = 0;
  let rendered = 0;
  fc.assert(
    fc.property(mutation, (m) => {
      const fleet = fleetOf(m);
      const errors = checkFleet(fleet).filter((p) => p.severity === 'error');
      if (errors.length > 0) {
        refused++;
        for (const problem of errors) {
          expect(problem.place.field).toBeTruthy();
          expect(problem.fix).toBeTruthy();
        }
        return;
      }
      rendered++;
      const result = renderFleet(fleet);
      expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const clusters = result.clusters.map((c) => ({ name: c.spec.name, production: c.production, kubernetesVersion: c.spec.kubernetesVersion, objects: c.objects }));
      const api = validateFleet(fleet, clusters, { pathExists: () => true, references: false }).results.flatMap((r) => r.problems).filter((p) => p.code.startsWith('api/'));
      expect(api).toEqual([]);
    }),
    { numRuns: 100, seed: 16 },
  );
  // Both sides of the property were exercised.
  expect(refused).toBeGreaterThan(30);
  expect(rendered).toBeGreaterThan(15);
}, 120_000);
