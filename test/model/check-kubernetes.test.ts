import { checkFleet } from '../../src/model/check-model';
import type { ClusterSpec } from '../../src/model/cluster';
import type { EnvironmentSpec } from '../../src/model/environment';
import type { FleetSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';
import { miniFleet } from '../support/fleet-fixtures';

function problems(fleet: FleetSpec, code: string) {
  return checkFleet(fleet).filter((p) => p.code === code);
}

function withService(service: Partial<ServiceSpec>): FleetSpec {
  return miniFleet({ service });
}

describe('model checks against what the API server, kubelet and admission accept', () => {
  test.each([['Registry.Example.com/Team/App'], ['team/App'], ['two  words/app'], [' team/app'], ['team//app'], ['team/app-'], ['   ']])('image %j is an invalid reference', (image) => {
    // WHEN
    const found = problems(withService({ image }), 'model/invalid-image');

    // THEN
    expect(found).toHaveLength(1);
    expect(found[0].place).toMatchObject({ service: 'web', field: 'image', definition: 'test/shop.ts' });
    expect(found[0].message).toContain('InvalidImageName');
  });

  test.each([['Registry.Example.com:5000/team/app'], ['localhost/app'], ['ghcr.io/org/some_app.v2'], ['a__b/c---d']])('image %j is accepted', (image) => {
    expect(problems(withService({ image }), 'model/invalid-image')).toEqual([]);
  });

  test.each([['Shop.Example.test'], ['a..b.test'], ['https://shop.test/x'], ['{team}.shop.test'], ['under_score.test'], ['a.*.test'], ['*'], ['10.0.0.1'], ['has space.test']])(
    'ingress host %j is rejected, naming the field',
    (host) => {
      const found = problems(withService({ ingress: { hosts: [host] } }), 'model/invalid-host');
      expect(found).toHaveLength(1);
      expect(found[0].place).toMatchObject({ environment: 'staging', service: 'web', field: 'ingress.hosts[0]' });
      expect(found[0].message).toContain('DNS-1123');
    },
  );

  test('a wildcard host in front and placeholders are accepted; an override host and a pattern are named where they are', () => {
    expect(problems(withService({ ingress: { hosts: ['*.{domain}', '{service}-{environment}.{domain}'] } }), 'model/invalid-host')).toEqual([]);
    const environments: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', ingressHost: '{service}.{region}.{domain}', services: { web: { tag: '1' } } }];
    const pattern = problems(miniFleet({ system: { environments } }), 'model/invalid-host');
    expect(pattern.map((p) => p.place.field)).toEqual(['ingressHost']);
    expect(pattern[0].message).toContain('{region}');
    const override: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1', ingress: { hosts: ['ok.shop.test', 'Not_OK'] } } } }];
    expect(problems(miniFleet({ system: { environments: override } }), 'model/invalid-host').map((p) => p.place.field)).toEqual(['services.web.ingress.hosts[1]']);
  });

  test('ingress paths must be absolute and free of dot segments', () => {
    expect(problems(withService({ ingress: { paths: ['api', '/a/../b', '/ok'] } }), 'model/invalid-ingress-path')).toHaveLength(2);
  });

  test.each([
    [{ team: 'payments/eu' }, 'value'],
    [{ team: 'x'.repeat(64) }, 'value'],
    [{ team: '-leading' }, 'value'],
    [{ 'bad key': 'ok' }, 'key'],
    [{ 'a/b/c': 'ok' }, 'key'],
    [{ 'Example.com/team': 'ok' }, 'key'],
  ])('labels %j are rejected (%s)', (labels, what) => {
    const found = problems(withService({ labels }), 'model/invalid-label');
    expect(found).toHaveLength(1);
    expect(found[0].message).toContain(`label ${what}`);
    expect(found[0].place.field).toBe(`labels.${Object.keys(labels)[0]}`);
  });

  test('valid labels, an empty label value and a prefixed key pass', () => {
    expect(problems(withService({ labels: { 'example.com/team': 'pay_ments.eu-1', tier: '' } }), 'model/invalid-label')).toEqual([]);
  });

  test.each([['../etc/passwd'], ['.'], ['..'], ['..data'], ['with space'], ['a/b']])('ConfigMap and Secret key %j is rejected wherever it is declared', (key) => {
    expect(problems(withService({ config: { [key]: 'v' } }), 'model/invalid-key').map((p) => p.place.field)).toEqual([`config.${key}`]);
    expect(problems(withService({ configFiles: { mountPath: '/etc/web', files: { [key]: 'v' } } }), 'model/invalid-key')).toHaveLength(1);
    expect(problems(withService({ env: { X: { secret: { name: 's', key } } } }), 'model/invalid-key')).toHaveLength(1);
    const environments: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1', config: { [key]: 'v' } } } }];
    expect(problems(miniFleet({ system: { environments } }), 'model/invalid-key')[0].place).toMatchObject({ environment: 'staging', field: `services.web.config.${key}` });
  });

  test('a key that merely contains dots is a valid key', () => {
    expect(problems(withService({ config: { 'app.properties': 'x', '.hidden': 'y', 'a..b': 'z' } }), 'model/invalid-key')).toEqual([]);
  });

  test.each([['/'], ['//'], ['relative/dir'], ['/etc/../root'], ['']])('mount path %j is rejected', (mountPath) => {
    const found = problems(withService({ configFiles: { mountPath, files: { a: 'b' } } }), 'model/invalid-mount-path');
    expect(found.map((p) => p.place.field)).toEqual(['configFiles.mountPath']);
  });

  test('a mount path used twice in the container is rejected, including the /tmp scratch directory', () => {
    const twice = withService({ secretFiles: [{ secret: 'db', mountPath: '/etc/db' }, { secret: 'tls', mountPath: '/etc/db/' }] });
    expect(problems(twice, 'model/duplicate-mount-path').map((p) => p.place.field)).toEqual(['secretFiles[1].mountPath']);
    expect(problems(withService({ configFiles: { mountPath: '/tmp', files: { a: 'b' } } }), 'model/duplicate-mount-path')[0].message).toContain('/tmp');
    const writable = withService({ configFiles: { mountPath: '/tmp', files: { a: 'b' } }, security: { allowWritableRootFilesystem: 'needs it' } });
    expect(problems(writable, 'model/duplicate-mount-path')).toEqual([]);
  });
});

describe('Pod Security admission is not bypassed by a relaxation reason', () => {
  function onLevel(security: ServiceSpec['security'], podSecurity?: 'restricted' | 'baseline' | 'privileged', cluster: Partial<ClusterSpec> = {}) {
    const environments: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1' } }, namespaces: podSecurity ? { shop: { podSecurity } } : undefined }];
    return problems(miniFleet({ service: { security }, system: { environments }, cluster }), 'model/pod-security-violation');
  }

  test.each([
    [['NET_ADMIN'], undefined, 1],
    [['NET_BIND_SERVICE'], undefined, 0],
    [['CHOWN'], 'restricted', 1],
    [['CHOWN', 'SETUID'], 'baseline', 0],
    [['SYS_PTRACE'], 'baseline', 1],
    [['CAP_CHOWN'], 'baseline', 1],
    [['SYS_TIME'], 'privileged', 0],
  ] as const)('adding %j in a %s namespace: %d problems', (capabilities, level, count) => {
    const found = onLevel({ addCapabilities: { capabilities, reason: 'x' } }, level);
    expect(found).toHaveLength(count);
    if (count) expect(found[0].place).toMatchObject({ cluster: 'stage', namespace: 'shop', service: 'web', field: 'security.addCapabilities' });
  });

  test('the default level follows the mesh: baseline on Istio lets CHOWN through, restricted elsewhere does not', () => {
    const security = { addCapabilities: { capabilities: ['CHOWN'], reason: 'chowns its volume' } };
    expect(onLevel(security, undefined, { mesh: 'istio' })).toEqual([]);
    expect(onLevel(security)).toHaveLength(1);
  });

  test('allowRunAsRoot cannot run in a restricted namespace, but can in baseline', () => {
    expect(onLevel({ allowRunAsRoot: 'legacy image' }).map((p) => p.place.field)).toEqual(['security.allowRunAsRoot']);
    expect(onLevel({ allowRunAsRoot: 'legacy image' }, 'baseline')).toEqual([]);
  });
});

describe('platform namespaces', () => {
  test.each([['kube-public'], ['kube-node-lease'], ['flux-system'], ['kube-system'], ['default']])('an application service in %s is an error', (namespace) => {
    const found = problems(withService({ namespace }), 'model/platform-namespace');
    expect(found).toHaveLength(1);
    expect(found[0].place).toMatchObject({ environment: 'staging', service: 'web' });
  });

  test('an environment without a namespace would put services in "default", which is refused', () => {
    const environments: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', services: { web: { tag: '1' } } }];
    const [found] = problems(miniFleet({ system: { environments } }), 'model/platform-namespace');
    expect(found.place.field).toContain('default');
  });
});

describe('host and path collisions', () => {
  const web: ServiceSpec = { name: 'web', image: 'example/web', ports: [{ name: 'http', port: 8080 }], ingress: { hosts: ['api.shop.test'], paths: ['/v1/'] } };
  const api: ServiceSpec = { name: 'api', image: 'example/api', ports: [{ name: 'http', port: 8080 }], ingress: { hosts: ['api.shop.test'], paths: ['/v1'] } };

  test('two services on one host and path of a cluster collide; distinct paths do not', () => {
    const environments: EnvironmentSpec[] = [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1' }, api: { tag: '1' } } }];
    const found = problems(miniFleet({ system: { services: [web, api], environments }, cluster: { services: ['web', 'api'] } }), 'model/host-collision');
    expect(found).toHaveLength(1);
    expect(found[0].place).toMatchObject({ cluster: 'stage', service: 'api' });
    expect(found[0].message).toContain('api.shop.test/v1');
    const apart = { ...api, ingress: { hosts: ['api.shop.test'], paths: ['/v2'] } };
    expect(problems(miniFleet({ system: { services: [web, apart], environments }, cluster: { services: ['web', 'api'] } }), 'model/host-collision')).toEqual([]);
  });

  function twoClusters(hostPattern: string, zones: [string | undefined, string | undefined], environmentsOf: [string, string] = ['staging', 'production']): FleetSpec {
    const base = miniFleet();
    const environments: EnvironmentSpec[] = [
      { name: 'staging', domain: 'shop.test', namespace: 'shop', ingressHost: hostPattern, services: { web: { tag: '1' } } },
      { name: 'production', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1' } } },
    ];
    const cluster = (name: string, environment: string, dnsZone?: string): ClusterSpec => ({ ...base.clusters[0], name, environment, aws: { region: 'eu-west-1', accountId: '1', dnsZone } });
    return {
      ...base,
      systems: [{ ...base.systems[0], services: [{ ...base.systems[0].services[0], ingress: {} }], environments }],
      clusters: [cluster('one', environmentsOf[0], zones[0]), cluster('two', environmentsOf[1], zones[1])],
      pipeline: ['staging', 'production'],
    };
  }

  test('two environments publishing one host in a shared DNS zone collide; other zones or distinct hosts do not', () => {
    expect(problems(twoClusters('{service}.{domain}', ['shop.test', 'shop.test']), 'model/host-collision')).toHaveLength(1);
    expect(problems(twoClusters('{service}.{domain}', ['shop.test', 'other.test']), 'model/host-collision')).toEqual([]);
    expect(problems(twoClusters('{service}-{environment}.{domain}', ['shop.test', 'shop.test']), 'model/host-collision')).toEqual([]);
  });

  test('one service of one environment on two clusters of a zone is a deliberate multi-cluster deployment', () => {
    expect(problems(twoClusters('{service}.{domain}', ['shop.test', 'shop.test'], ['production', 'production']), 'model/host-collision')).toEqual([]);
  });
});
