import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import { formatProblem } from '../../src/model/problem';
import { miniFleet } from '../support/fleet-fixtures';

function codes(fleet: FleetSpec): string[] {
  return checkFleet(fleet).map((p) => p.code);
}

function only(fleet: FleetSpec, code: string) {
  const problems = checkFleet(fleet).filter((p) => p.code === code);
  expect(problems).toHaveLength(1);
  return problems[0];
}

describe('checkFleet', () => {
  it('accepts a valid fleet', () => {
    expect(checkFleet(miniFleet())).toEqual([]);
  });

  it('rejects a service name that is not a DNS label', () => {
    const problem = only(miniFleet({ service: { name: 'Web_App' }, cluster: { services: ['Web_App'] } }), 'model/invalid-name');
    expect(problem.place).toMatchObject({ service: 'Web_App', field: 'name', definition: 'test/shop.ts' });
  });

  it('rejects a tag inside the image repository and says where the tag goes', () => {
    const problem = only(miniFleet({ service: { image: 'example/web:1.2' } }), 'model/image-with-tag');
    expect(problem.fix).toContain('example/web');
  });

  it('rejects ports out of range, badly named or duplicated', () => {
    expect(codes(miniFleet({ service: { ports: [{ name: 'http', port: 70000 }] } }))).toContain('model/invalid-port');
    expect(codes(miniFleet({ service: { ports: [{ name: 'HTTP-Port-Number-1', port: 80 }] } }))).toContain('model/invalid-port-name');
    expect(codes(miniFleet({ service: { ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] } }))).toContain('model/duplicate-port');
  });

  it('rejects an applyGroup that is not a DNS label, is "secrets", or is a service directory of its namespace', () => {
    const invalid = only(miniFleet({ service: { applyGroup: 'Search_Team' } }), 'model/invalid-apply-group');
    expect(invalid.place).toMatchObject({ cluster: 'stage', namespace: 'shop', service: 'web', field: 'applyGroup', definition: 'test/shop.ts' });
    expect(only(miniFleet({ service: { applyGroup: 'secrets' } }), 'model/invalid-apply-group').message).toContain('reserved');
    const services = [
      { name: 'web', image: 'example/web' },
      { name: 'cart', image: 'example/cart', applyGroup: 'web' },
    ];
    const environments = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1' }, cart: { tag: '1' } } }];
    const clash = only(miniFleet({ system: { services, environments }, cluster: { services: ['web', 'cart'] } }), 'model/invalid-apply-group');
    expect(clash.place).toMatchObject({ service: 'cart' });
    expect(clash.message).toContain('clusters/stage/apps/shop/web/');
    expect(checkFleet(miniFleet({ service: { applyGroup: 'storefront' } }))).toEqual([]);
  });

  it('rejects two apps units with one Flux Kustomization name, and names too long for its label', () => {
    // namespace shop + group web → apps-shop-web; namespace shop-web → apps-shop-web too
    const web = { name: 'web', image: 'example/web', namespace: 'shop', applyGroup: 'web-team' };
    const other = { name: 'api', image: 'example/api', namespace: 'shop-web-team' };
    const fleet = miniFleet({
      system: { services: [web, other], environments: [{ name: 'staging', domain: 'shop.test', services: { web: { tag: '1' }, api: { tag: '1' } } }] },
      cluster: { services: ['web', 'api'] },
    });
    const clash = only(fleet, 'model/invalid-apply-group');
    expect(clash.place).toMatchObject({ service: 'web', field: 'applyGroup' });
    expect(clash.message).toContain('apps-shop-web-team, which is also the name of namespace shop-web-team');

    const long = only(miniFleet({ service: { applyGroup: 'g'.repeat(55) } }), 'model/name-too-long');
    expect(long.message).toContain(`apps-shop-${'g'.repeat(55)} is 65 characters`);
    expect(long.fix).toBe('shorten the applyGroup by 2 characters');
  });

  it('lets a group share its name with a service that sits in another group, and an environment ungroup a service', () => {
    const services = [
      { name: 'web', image: 'example/web', applyGroup: 'front' },
      { name: 'cart', image: 'example/cart', applyGroup: 'web' },
    ];
    const withOverrides = (overrides: Record<string, { tag: string; applyGroup?: false }>) =>
      miniFleet({ system: { services, environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: overrides }] }, cluster: { services: ['web', 'cart'] } });
    // web lives in apps/shop/front/web, group "web" in apps/shop/web: no clash
    expect(checkFleet(withOverrides({ web: { tag: '1' }, cart: { tag: '1' } }))).toEqual([]);
    // ungrouped in this environment, web takes apps/shop/web: cart's group "web" now clashes
    expect(only(withOverrides({ web: { tag: '1', applyGroup: false }, cart: { tag: '1' } }), 'model/invalid-apply-group').place).toMatchObject({ service: 'cart' });
    // cart ungrouped instead: nothing left to clash
    expect(checkFleet(withOverrides({ web: { tag: '1' }, cart: { tag: '1', applyGroup: false } }))).toEqual([]);
  });

  it('rejects a typo in a memory quantity, naming the field and the fix', () => {
    const problem = only(miniFleet({ service: { resources: { limits: { memory: '512Mb' } } } }), 'model/invalid-quantity');
    expect(problem.place.field).toBe('resources.limits.memory');
    expect(formatProblem(problem)).toMatch(/service=web field=resources.limits.memory: "512Mb" is not a memory quantity\n {2}fix: .*256Mi/);
  });

  it('rejects a bad CPU quantity in an environment override and names the environment', () => {
    const fleet = miniFleet({ system: { environments: [{ name: 'staging', domain: 'shop.test', services: { web: { tag: '1', resources: { requests: { cpu: 'two' } } } } }] } });
    const problem = only(fleet, 'model/invalid-quantity');
    expect(problem.place).toMatchObject({ environment: 'staging', service: 'web', field: 'services.web.resources.requests.cpu' });
  });

  it('rejects env names that are not valid variables', () => {
    expect(codes(miniFleet({ service: { env: { '1BAD': 'x' } } }))).toContain('model/invalid-env-name');
  });

  it('rejects an env reference to a key the service config does not define', () => {
    const fleet = miniFleet({ service: { config: { A: '1' }, env: { B: { configMap: { name: 'web-config', key: 'B' } } } } });
    expect(only(fleet, 'model/missing-config-key').fix).toContain('"B"');
  });

  it('rejects probes with zero or two checks and probes on undeclared ports', () => {
    expect(codes(miniFleet({ service: { probes: { readiness: {} } } }))).toContain('model/invalid-probe');
    expect(codes(miniFleet({ service: { probes: { readiness: { http: { path: '/' }, tcp: {} } } } }))).toContain('model/invalid-probe');
    expect(codes(miniFleet({ service: { probes: { readiness: { http: { path: '/', port: 'admin' } } } } }))).toContain('model/unknown-port');
  });

  it('rejects autoscaling with max below min or a bad utilisation', () => {
    expect(codes(miniFleet({ service: { autoscaling: { minReplicas: 3, maxReplicas: 2 } } }))).toContain('model/invalid-autoscaling');
    expect(codes(miniFleet({ service: { autoscaling: { minReplicas: 0, maxReplicas: 2 } } }))).toContain('model/invalid-autoscaling');
    expect(codes(miniFleet({ service: { autoscaling: { minReplicas: 1, maxReplicas: 2, cpuUtilization: 150 } } }))).toContain('model/invalid-autoscaling');
  });

  it('rejects negative or fractional replicas', () => {
    expect(codes(miniFleet({ service: { replicas: -1 } }))).toContain('model/invalid-replicas');
  });

  it('rejects an ingress without ports or on an undeclared port', () => {
    expect(codes(miniFleet({ service: { ports: [], ingress: {} } }))).toContain('model/ingress-without-port');
    expect(codes(miniFleet({ service: { ingress: { port: 'admin' } } }))).toContain('model/unknown-port');
  });

  it('rejects calls to unknown services and to itself', () => {
    expect(codes(miniFleet({ service: { calls: ['ghost'] } }))).toContain('model/unknown-service');
    expect(codes(miniFleet({ service: { calls: ['web'] } }))).toContain('model/calls-itself');
  });

  it('rejects waivers without a reason', () => {
    expect(codes(miniFleet({ service: { waivers: { 'policy/readiness-probe': ' ' } } }))).toContain('model/waiver-without-reason');
  });

  it('rejects duplicate service and cluster names', () => {
    const fleet = miniFleet();
    const doubled: FleetSpec = { ...fleet, systems: [fleet.systems[0], { ...fleet.systems[0], definition: 'test/other.ts' }], clusters: [fleet.clusters[0], fleet.clusters[0]] };
    expect(codes(doubled)).toEqual(expect.arrayContaining(['model/duplicate-service', 'model/duplicate-cluster']));
  });

  it('rejects overrides for services the system does not have', () => {
    const fleet = miniFleet({ system: { environments: [{ name: 'staging', domain: 'shop.test', services: { web: { tag: '1' }, wbe: { tag: '2' } } }] } });
    const problem = only(fleet, 'model/unknown-service');
    expect(problem.place).toMatchObject({ environment: 'staging', service: 'wbe' });
  });

  it('rejects invalid tags and namespaces', () => {
    expect(codes(miniFleet({ system: { environments: [{ name: 'staging', domain: 'shop.test', services: { web: { tag: 'v1 beta' } } }] } }))).toContain('model/invalid-tag');
    expect(codes(miniFleet({ service: { namespace: 'Shop' } }))).toContain('model/invalid-namespace');
  });

  it('rejects cluster mistakes: bad name, version, ALB outside EKS, unknown service or environment', () => {
    expect(codes(miniFleet({ cluster: { name: 'Stage' } }))).toContain('model/invalid-name');
    expect(codes(miniFleet({ cluster: { kubernetesVersion: '31' } }))).toContain('model/invalid-kubernetes-version');
    expect(codes(miniFleet({ cluster: { provider: 'gke', ingress: { controller: 'alb' } } }))).toContain('model/alb-needs-eks');
    expect(codes(miniFleet({ cluster: { services: ['web', 'ghost'] } }))).toContain('model/unknown-service');
    expect(codes(miniFleet({ cluster: { environment: 'qa' } }))).toContain('model/unknown-environment');
  });

  it('names environment, service and the file to edit when a tag is missing', () => {
    const problem = only(miniFleet({ system: { environments: [{ name: 'staging', domain: 'shop.test' }] } }), 'model/missing-tag');
    expect(problem.place).toMatchObject({ cluster: 'stage', environment: 'staging', service: 'web' });
    expect(problem.fix).toContain('test/shop.ts');
  });

  it('rejects a caller whose callee does not run on the same cluster', () => {
    const fleet = miniFleet({ service: { calls: ['api'] } });
    const api = { name: 'api', image: 'example/api', tag: '1', ports: [{ name: 'http', port: 80 }] };
    const withApi: FleetSpec = { ...fleet, systems: [{ ...fleet.systems[0], services: [...fleet.systems[0].services, api] }] };
    expect(codes(withApi)).toContain('model/callee-not-on-cluster');
  });

  it("rejects an IRSA role in another AWS account than the cluster's, in the service or its environment override", () => {
    // GIVEN miniFleet's cluster in account 123456789012
    const inService = only(miniFleet({ service: { serviceAccount: { awsRoleArn: 'arn:aws:iam::111122223333:role/web' } } }), 'model/role-account-mismatch');
    expect(inService.place).toMatchObject({ cluster: 'stage', service: 'web', field: 'serviceAccount.awsRoleArn', definition: 'test/shop.ts' });
    expect(inService.message).toContain('111122223333');
    expect(inService.fix).toContain('arn:aws:iam::123456789012:role/');
    const environments = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0', serviceAccount: { awsRoleArn: 'arn:aws:iam::444455556666:role/web' } } } }];
    expect(codes(miniFleet({ system: { environments } }))).toEqual(['model/role-account-mismatch']);
    expect(codes(miniFleet({ service: { serviceAccount: { awsRoleArn: 'arn:aws:iam::123456789012:role/web' } } }))).toEqual([]);
    expect(codes(miniFleet({ service: { serviceAccount: { awsRoleArn: 'role/web' } } }))).toEqual(['model/invalid-role-arn']);
    // off EKS there is no IRSA account to match
    expect(codes(miniFleet({ service: { serviceAccount: { awsRoleArn: 'arn:aws:iam::111122223333:role/web' } }, cluster: { provider: 'gke', aws: undefined } }))).toEqual([]);
  });

  it('rejects a pipeline naming an unknown environment', () => {
    expect(codes({ ...miniFleet(), pipeline: ['staging', 'prod'] })).toContain('model/unknown-environment');
  });
});
