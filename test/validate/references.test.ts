import { findCycles } from '../../src/validate/references/flux-kustomizations';
import { errorsOf, find, validate, validObjects, withCode, type Obj } from './fixtures';

const flights = (objects: Obj[]) => find(objects, 'Deployment', 'flights');
const flightsContainer = (objects: Obj[]) => flights(objects).spec.template.spec.containers[0];

test('the valid cluster has no reference findings', () => {
  expect(validate(validObjects()).filter((p) => p.code.startsWith('ref/'))).toEqual([]);
});

describe('ref/namespace-missing', () => {
  test('an object in a namespace that is not rendered', () => {
    // GIVEN the cluster without its `shop` Namespace
    const objects = validObjects().filter((o) => !(o.kind === 'Namespace' && o.metadata.name === 'shop'));
    // WHEN validated
    const problems = withCode(validate(objects), 'ref/namespace-missing');
    // THEN every object in shop is reported, at metadata.namespace, with the fix
    expect(problems.length).toBe(objects.filter((o) => o.metadata.namespace === 'shop').length);
    const deployment = problems.find((p) => p.place.object === 'Deployment/flights')!;
    expect(deployment.place).toMatchObject({ cluster: 'c1', namespace: 'shop', field: 'metadata.namespace', service: 'flights' });
    expect(deployment.message).toContain('Namespace "shop" is not rendered for cluster c1');
    expect(deployment.fix).toContain('Render a Namespace "shop"');
  });

  test('API-server namespaces exist; flux-system only when rendered; the allow-list is configurable', () => {
    const sa = (namespace: string): Obj => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'x', namespace } });
    const objects = [...validObjects().filter((o) => o.metadata.name !== 'flux-system'), sa('kube-system'), sa('monitoring')];
    expect(withCode(validate(objects), 'ref/namespace-missing').map((p) => p.place.namespace)).toEqual(['flux-system', 'flux-system', 'monitoring']);
    expect(withCode(validate(objects, { knownNamespaces: ['kube-system', 'monitoring', 'flux-system'] }), 'ref/namespace-missing')).toEqual([]);
  });
});

test('ref/duplicate-object: the same group/kind/namespace/name twice', () => {
  const objects = validObjects();
  objects.push({ ...find(objects, 'ConfigMap', 'flights-config'), apiVersion: 'v1' });
  const [problem] = withCode(validate(objects), 'ref/duplicate-object');
  expect(problem.place.object).toBe('ConfigMap/flights-config');
  expect(problem.message).toContain('rendered more than once');
});

test('ref/non-existent-service-account: a pod runs as a ServiceAccount that is not rendered', () => {
  const objects = validObjects();
  flights(objects).spec.template.spec.serviceAccountName = 'flights-runner';
  const [problem] = withCode(validate(objects), 'ref/non-existent-service-account');
  expect(problem.place).toMatchObject({ object: 'Deployment/flights', field: 'spec.template.spec.serviceAccountName' });
  expect(problem.message).toContain('ServiceAccount "flights-runner"');
});

describe('ConfigMap and Secret references', () => {
  test('ref/secret-missing names the secret, the key and the field', () => {
    // GIVEN an env var reading a Secret nobody renders
    const objects = validObjects();
    flightsContainer(objects).env[1].valueFrom.secretKeyRef = { name: 'flights-database', key: 'password' };
    // WHEN validated
    const [problem] = withCode(validate(objects), 'ref/secret-missing');
    // THEN
    expect(problem.place.field).toBe('spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.name');
    expect(problem.message).toBe('Deployment flights references Secret "flights-database" (key "password"), which is not rendered in namespace shop.');
    expect(problem.fix).toContain('SealedSecret');
  });

  test('ref/config-key-missing: a key the SealedSecret does not hold', () => {
    const objects = validObjects();
    flightsContainer(objects).env[1].valueFrom.secretKeyRef.key = 'pasword';
    const [problem] = withCode(validate(objects), 'ref/config-key-missing');
    expect(problem.place.field).toBe('spec.template.spec.containers[0].env[1].valueFrom.secretKeyRef.key');
    expect(problem.message).toContain('key "pasword" of SealedSecret "flights-db", which has only "password", "username"');
  });

  test('ref/config-key-missing: ConfigMap volume items and sops Secrets list their keys too', () => {
    const objects = validObjects();
    flights(objects).spec.template.spec.volumes[0].configMap.items[0].key = 'settings.yaml';
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-keys', namespace: 'shop' }, stringData: { stripe: 'ENC[AES256_GCM,data:…]' }, sops: { version: '3.9.0' } });
    flightsContainer(objects).env.push({ name: 'PAYPAL', valueFrom: { secretKeyRef: { name: 'api-keys', key: 'paypal' } } });
    const problems = withCode(validate(objects), 'ref/config-key-missing');
    expect(problems.map((p) => p.place.field)).toEqual(['spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.key', 'spec.template.spec.volumes[0].configMap.items[0].key']);
    expect(problems[0].message).toContain('sops-encrypted Secret "api-keys", which has only "stripe"');
  });

  test('ref/configmap-missing: envFrom and volumes', () => {
    const objects = validObjects();
    flightsContainer(objects).envFrom[0].configMapRef.name = 'flight-config';
    const [problem] = withCode(validate(objects), 'ref/configmap-missing');
    expect(problem.place.field).toBe('spec.template.spec.containers[0].envFrom[0].configMapRef.name');
  });

  test('optional references, imagePullSecrets and external Secrets', () => {
    const objects = validObjects();
    flightsContainer(objects).envFrom.push({ secretRef: { name: 'overrides', optional: true } });
    flights(objects).spec.template.spec.imagePullSecrets = [{ name: 'regcred' }];
    const [problem] = withCode(validate(objects), 'ref/secret-missing');
    expect(problem.place.field).toBe('spec.template.spec.imagePullSecrets[0].name');
    expect(withCode(validate(objects, { externalSecrets: ['shop/regcred'] }), 'ref/secret-missing')).toEqual([]);
  });
});

describe('Services', () => {
  test('ref/dangling-service: the selector matches no workload', () => {
    const objects = validObjects();
    find(objects, 'Service', 'search').spec.selector = { 'app.kubernetes.io/name': 'serch' };
    const [problem] = withCode(validate(objects), 'ref/dangling-service');
    expect(problem.place).toMatchObject({ object: 'Service/search', field: 'spec.selector' });
    expect(problem.message).toContain('app.kubernetes.io/name=serch');
  });

  test('ref/service-target-port: named and numbered target ports must be declared', () => {
    const objects = validObjects();
    const svc = find(objects, 'Service', 'search');
    svc.spec.ports = [
      { name: 'grpc', port: 81, targetPort: 'grpc' },
      { name: 'metrics', port: 9090 },
      { name: 'admin', port: 82, targetPort: 9091 },
    ];
    const problems = withCode(validate(objects), 'ref/service-target-port');
    expect(problems.map((p) => p.place.field)).toEqual(['spec.ports[0].targetPort', 'spec.ports[2].targetPort']);
    expect(problems[0].message).toContain('named port "grpc"');
    expect(problems[0].message).toContain('declared: http (9090)');
  });
});

describe('Ingress backends', () => {
  const backend = (objects: Obj[]) => find(objects, 'Ingress', 'flights').spec.rules[0].http.paths[0].backend.service;

  test('ref/ingress-backend-port: a port the Service does not expose', () => {
    // GIVEN the Ingress routes to port 8080 of Flagger's `flights` Service, which listens on 80
    const objects = validObjects();
    backend(objects).port = { number: 8080 };
    const [problem] = withCode(validate(objects), 'ref/ingress-backend-port');
    expect(problem.place).toMatchObject({ object: 'Ingress/flights', field: 'spec.rules[0].http.paths[0].backend.service.port.number' });
    expect(problem.message).toContain('port 8080 of Service flights (created by Flagger for Canary flights), which exposes http (80)');
    backend(objects).port = { name: 'http' };
    expect(withCode(validate(objects), 'ref/ingress-backend-port')).toEqual([]);
  });

  test('ref/dangling-ingress: a Service nobody renders or creates', () => {
    const objects = validObjects();
    backend(objects).name = 'flight';
    const [problem] = withCode(validate(objects), 'ref/dangling-ingress');
    expect(problem.place.field).toBe('spec.rules[0].http.paths[0].backend.service.name');
    expect(problem.message).toContain('Service shop/flight');
  });

  test('Traefik IngressRoutes may name Flagger’s TraefikService, and real Services by port', () => {
    const route = (services: unknown[]): Obj => ({
      apiVersion: 'traefik.io/v1alpha1',
      kind: 'IngressRoute',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { entryPoints: ['websecure'], routes: [{ match: 'Host(`x.example.com`)', kind: 'Rule', services }], tls: { certResolver: 'le' } },
    });
    const good = [...validObjects(), route([{ name: 'flights', kind: 'TraefikService' }, { name: 'search', port: 80 }])];
    expect(errorsOf(validate(good))).toEqual([]);
    const bad = [...validObjects(), route([{ name: 'hotels', kind: 'TraefikService' }, { name: 'search', port: 'grpc' }])];
    expect(errorsOf(validate(bad)).map((p) => [p.code, p.place.field])).toEqual([
      ['ref/dangling-ingress', 'spec.routes[0].services[0].name'],
      ['ref/ingress-backend-port', 'spec.routes[0].services[1].port'],
    ]);
  });
});

describe('scale and disruption targets', () => {
  test('ref/dangling-hpa', () => {
    const objects = validObjects();
    find(objects, 'HorizontalPodAutoscaler', 'flights').spec.scaleTargetRef.name = 'flight';
    const [problem] = withCode(validate(objects), 'ref/dangling-hpa');
    expect(problem.place.field).toBe('spec.scaleTargetRef.name');
    expect(problem.message).toContain('targets Deployment flight');
  });

  test('ref/dangling-canary', () => {
    const objects = validObjects();
    find(objects, 'Canary', 'flights').spec.targetRef.name = 'flight';
    const [problem] = withCode(validate(objects), 'ref/dangling-canary');
    expect(problem.place).toMatchObject({ object: 'Canary/flights', field: 'spec.targetRef.name' });
  });

  test('ref/dangling-pdb', () => {
    const objects = validObjects();
    find(objects, 'PodDisruptionBudget', 'flights').spec.selector = { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['flight'] }] };
    const [problem] = withCode(validate(objects), 'ref/dangling-pdb');
    expect(problem.place.field).toBe('spec.selector');
  });
});

describe('NetworkPolicies', () => {
  test('ref/dangling-network-policy: its own podSelector picks no pods', () => {
    const objects = validObjects();
    find(objects, 'NetworkPolicy', 'flights').spec.podSelector = { matchLabels: { app: 'flights' } };
    const [problem] = withCode(validate(objects), 'ref/dangling-network-policy');
    expect(problem.place.field).toBe('spec.podSelector');
  });

  test('ref/dangling-network-policy-peer: same namespace, and via namespaceSelector', () => {
    const objects = validObjects();
    const policy = find(objects, 'NetworkPolicy', 'flights');
    policy.spec.ingress[0].from.push({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } });
    policy.spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { team: 'travel' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'search' } } });
    policy.spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } }, podSelector: { matchLabels: { k8s: 'dns' } } });
    const problems = withCode(validate(objects), 'ref/dangling-network-policy-peer');
    expect(problems.map((p) => p.place.field)).toEqual(['spec.ingress[0].from[1].podSelector', 'spec.ingress[0].from[3].podSelector']);
    expect(problems[1].message).toContain('namespace shop');
  });

  test('ref/dangling-network-policy-peer: pods of namespaces that exist without being rendered are trusted', () => {
    // GIVEN an egress peer to kube-dns in kube-system, whose pods the rendered output cannot show
    const objects = validObjects();
    const policy = find(objects, 'NetworkPolicy', 'flights');
    policy.spec.ingress[0].from.push({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } });
    // THEN it is not reported
    expect(withCode(validate(objects), 'ref/dangling-network-policy-peer')).toEqual([]);
  });
});

describe('Flux Kustomizations', () => {
  test('ref/flux-path-missing', () => {
    const objects = validObjects();
    find(objects, 'Kustomization', 'apps').spec.path = './dist/clusters/c2/apps';
    const [problem] = withCode(validate(objects), 'ref/flux-path-missing');
    expect(problem.place).toMatchObject({ namespace: 'flux-system', object: 'Kustomization/apps', field: 'spec.path' });
    expect(problem.message).toContain('"./dist/clusters/c2/apps"');
  });

  test('ref/flux-dependency-missing', () => {
    const objects = validObjects();
    find(objects, 'Kustomization', 'apps').spec.dependsOn = [{ name: 'infra' }];
    const [problem] = withCode(validate(objects), 'ref/flux-dependency-missing');
    expect(problem.place.field).toBe('spec.dependsOn[0].name');
    expect(problem.message).toContain('flux-system/infra');
  });

  test('ref/flux-dependency-cycle names the whole cycle once', () => {
    // GIVEN infrastructure → apps → infrastructure
    const objects = validObjects();
    find(objects, 'Kustomization', 'infrastructure').spec.dependsOn = [{ name: 'apps' }];
    const problems = withCode(validate(objects), 'ref/flux-dependency-cycle');
    expect(problems).toHaveLength(1);
    expect(problems[0].message).toContain('flux-system/apps → flux-system/infrastructure → flux-system/apps');
  });

  test('findCycles finds self-loops and ignores acyclic chains', () => {
    expect(findCycles(new Map([['a', ['a']], ['b', ['c']], ['c', []]]))).toEqual([['a']]);
    expect(findCycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']]);
  });
});
