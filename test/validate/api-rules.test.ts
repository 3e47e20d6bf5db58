// Rendered (or, later, user-supplied) objects the API server, kubelet or admission would reject.
import { errorsOf, find, validate, validObjects, withCode, type Obj } from './fixtures';

function broken(edit: (objects: Obj[]) => void, code: string) {
  const objects = validObjects();
  edit(objects);
  return withCode(validate(objects), code);
}

const flights = (objects: Obj[]) => find(objects, 'Deployment', 'flights');
const container = (objects: Obj[]) => flights(objects).spec.template.spec.containers[0];

describe('api rules', () => {
  test('the valid fixture breaks none of them', () => {
    expect(errorsOf(validate(validObjects())).filter((p) => p.code.startsWith('api/'))).toEqual([]);
  });

  test.each([['Registry.Example.com/Travel/Flights:1'], ['flights app:1'], [''], ['registry.example.com/travel/flights:-bad'], ['travel/flights@sha256:abc']])('image %j', (image) => {
    const found = broken((o) => (container(o).image = image), 'api/invalid-image');
    expect(found).toHaveLength(1);
    expect(found[0].place).toMatchObject({ object: 'Deployment/flights', field: 'spec.template.spec.containers[0].image' });
  });

  test.each([['team', 'travel/eu'], ['team', 'y'.repeat(64)], ['bad key', 'x'], ['a/b/c', 'x']])('label %s: %s on an object and on a pod template', (key, value) => {
    expect(broken((o) => (find(o, 'ConfigMap', 'flights-config').metadata.labels = { [key]: value }), 'api/invalid-label')).toHaveLength(1);
    expect(broken((o) => (flights(o).spec.template.metadata.labels[key] = value), 'api/invalid-label')[0].place.field).toContain('spec.template.metadata.labels');
  });

  test('an annotation key with spaces', () => {
    expect(broken((o) => (flights(o).metadata.annotations = { 'not a key': 'x' }), 'api/invalid-annotation-key')).toHaveLength(1);
  });

  test.each([['..'], ['../../etc/shadow'], ['.'], ['..2024'], ['key with space']])('ConfigMap, Secret and SealedSecret key %j', (key) => {
    expect(broken((o) => (find(o, 'ConfigMap', 'flights-config').data[key] = 'x'), 'api/invalid-key')).toHaveLength(1);
    expect(broken((o) => (find(o, 'SealedSecret', 'flights-db').spec.encryptedData[key] = 'AgB='), 'api/invalid-key')).toHaveLength(1);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain', namespace: 'shop' }, stringData: { [key]: 'x' } };
    expect(broken((o) => o.push(secret as Obj), 'api/invalid-key')).toHaveLength(1);
  });

  test('more than 1 MiB of data in a ConfigMap or a Secret, counted as the API server counts it', () => {
    expect(broken((o) => (find(o, 'ConfigMap', 'flights-config').data.big = 'x'.repeat(1024 * 1024)), 'api/too-large')).toHaveLength(1);
    const secret = (data: string) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'blob', namespace: 'shop' }, data: { blob: data } });
    // base64 of 1 MiB is 1.33 MiB of text, but the API server counts the decoded bytes.
    expect(broken((o) => o.push(secret(Buffer.alloc(1024 * 1024).toString('base64')) as Obj), 'api/too-large')).toEqual([]);
    expect(broken((o) => o.push(secret(Buffer.alloc(1024 * 1024 + 1).toString('base64')) as Obj), 'api/too-large')).toHaveLength(1);
  });

  test('a registry Secret without .dockerconfigjson or with non-JSON credentials; a SealedSecret template of that type without the key', () => {
    const secret = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'pull', namespace: 'shop' }, type: 'kubernetes.io/dockerconfigjson', stringData: data });
    expect(broken((o) => o.push(secret({ '.dockerconfigjson': '{auths:' }) as Obj), 'api/invalid-secret')).toHaveLength(1);
    expect(broken((o) => o.push(secret({ config: '{"auths":{}}' }) as Obj), 'api/invalid-secret')).toHaveLength(1);
    expect(broken((o) => o.push(secret({ '.dockerconfigjson': '{"auths":{"r.io":{}}}' }) as Obj), 'api/invalid-secret')).toEqual([]);
    expect(broken((o) => (find(o, 'SealedSecret', 'flights-db').spec.template.type = 'kubernetes.io/tls'), 'api/invalid-secret')).toHaveLength(1);
  });

  test.each([['/'], ['etc/flights'], ['/etc/../flights']])('mount path %j', (mountPath) => {
    expect(broken((o) => (container(o).volumeMounts[0].mountPath = mountPath), 'api/invalid-mount-path')).toHaveLength(1);
  });

  test('a mount path repeated in one container', () => {
    const found = broken((o) => container(o).volumeMounts.push({ name: 'other', mountPath: '/etc/flights/' }), 'api/invalid-mount-path');
    expect(found[0].place.field).toBe('spec.template.spec.containers[0].volumeMounts[1].mountPath');
  });

  test.each([['Flights.Example.com'], ['flights..example.com'], ['https://flights.example.com'], ['{service}.example.com'], ['*']])('Ingress host %j in a rule and in tls', (host) => {
    const found = broken((o) => {
      const ingress = find(o, 'Ingress', 'flights');
      ingress.spec.rules[0].host = host;
      ingress.spec.tls[0].hosts = [host];
    }, 'api/invalid-host');
    expect(found.map((p) => p.place.field).sort()).toEqual(['spec.rules[0].host', 'spec.tls[0].hosts[0]']);
  });

  test('a wildcard Ingress host is accepted; two Ingresses on one host and path collide', () => {
    expect(broken((o) => (find(o, 'Ingress', 'flights').spec.rules[0].host = '*.example.com'), 'api/invalid-host')).toEqual([]);
    const copy = (o: Obj[]) => o.push({ ...JSON.parse(JSON.stringify(find(o, 'Ingress', 'flights'))), metadata: { name: 'flights-copy', namespace: 'shop' } });
    expect(broken(copy, 'api/host-collision')).toHaveLength(1);
  });

  test('capabilities and root beyond the namespace Pod Security level; waivers cannot waive it', () => {
    const setLevel = (o: Obj[], level: string) => ((find(o, 'Namespace', 'shop').metadata.labels as Record<string, string>)['pod-security.kubernetes.io/enforce'] = level);
    const add = (o: Obj[], caps: string[]) => (container(o).securityContext.capabilities.add = caps);
    expect(broken((o) => (setLevel(o, 'restricted'), add(o, ['NET_ADMIN'])), 'api/pod-security')).toHaveLength(1);
    expect(broken((o) => (setLevel(o, 'baseline'), add(o, ['KILL'])), 'api/pod-security')).toEqual([]);
    expect(broken((o) => (setLevel(o, 'privileged'), add(o, ['SYS_ADMIN'])), 'api/pod-security')).toEqual([]);
    expect(broken((o) => add(o, ['SYS_ADMIN']), 'api/pod-security')).toEqual([]);
    const objects = validObjects();
    setLevel(objects, 'restricted');
    add(objects, ['SYS_ADMIN']);
    const waived = withCode(validate(objects, { waivers: { flights: { 'api/pod-security': 'we need it' } } }), 'api/pod-security');
    expect(waived).toHaveLength(1);
    expect(waived[0].waived).toBeUndefined();
  });
});
