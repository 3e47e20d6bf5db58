import { imageTag } from '../../src/validate/policy/image-tag';
import { errorsOf, find, validate, validObjects, withCode, type Obj } from './fixtures';

const flights = (objects: Obj[]) => find(objects, 'Deployment', 'flights');
const container = (objects: Obj[]) => flights(objects).spec.template.spec.containers[0];
const CONTAINER = 'spec.template.spec.containers[0]';

test('the valid cluster has no policy findings', () => {
  expect(validate(validObjects()).filter((p) => p.code.startsWith('policy/'))).toEqual([]);
});

describe('resources', () => {
  test('policy/memory-ceiling: a 512Gi typo names the container and the field', () => {
    // GIVEN 512Gi where 512Mi was meant
    const objects = validObjects();
    container(objects).resources.requests.memory = '512Gi';
    container(objects).resources.limits.memory = '512Gi';
    // WHEN validated
    const problems = withCode(validate(objects), 'policy/memory-ceiling');
    // THEN both the request and the limit are reported, with the ceiling and the likely fix
    expect(problems.map((p) => p.place.field)).toEqual([`${CONTAINER}.resources.limits.memory`, `${CONTAINER}.resources.requests.memory`]);
    expect(problems[1].place).toMatchObject({ cluster: 'c1', namespace: 'shop', object: 'Deployment/flights', service: 'flights', definition: 'src/environments/bookstore.ts' });
    expect(problems[1].message).toBe('Container "app" of Deployment flights requests memory 512Gi, above the fleet ceiling of 64Gi per container; no node fits it, so the pod would stay Pending.');
    expect(problems[1].fix).toContain('Mi vs Gi');
  });

  test('policy/memory-ceiling and policy/cpu-ceiling are configurable', () => {
    const objects = validObjects();
    container(objects).resources.limits.memory = '96Gi';
    container(objects).resources.requests.memory = '96Gi';
    container(objects).resources.limits.cpu = '2000';
    expect(withCode(validate(objects), 'policy/cpu-ceiling').map((p) => p.message)).toEqual([expect.stringContaining('is limited to cpu 2000, above the fleet ceiling of 16 cores')]);
    expect(withCode(validate(objects, { memoryCeiling: '128Gi', cpuCeiling: '4000' }), 'policy/memory-ceiling')).toEqual([]);
    // 64Gi exactly is allowed: the ceiling is inclusive, in any unit
    container(objects).resources.limits.memory = '65536Mi';
    container(objects).resources.requests.memory = '68719476736';
    expect(withCode(validate(objects), 'policy/memory-ceiling')).toEqual([]);
  });

  test('policy/requests-set: cpu and memory requests (a limit alone counts)', () => {
    const objects = validObjects();
    delete container(objects).resources.requests;
    delete container(objects).resources.limits.cpu;
    const [problem] = withCode(validate(objects), 'policy/requests-set');
    expect(problem.place.field).toBe(`${CONTAINER}.resources.requests`);
    expect(problem.message).toContain('has no cpu request');
  });

  test('policy/memory-limit-set', () => {
    const objects = validObjects();
    delete container(objects).resources.limits.memory;
    const [problem] = withCode(validate(objects), 'policy/memory-limit-set');
    expect(problem.place.field).toBe(`${CONTAINER}.resources.limits.memory`);
  });

  test('policy/limits-gte-requests compares across units', () => {
    const objects = validObjects();
    container(objects).resources.requests.memory = '0.5Gi';
    container(objects).resources.limits.memory = '500Mi';
    container(objects).resources.limits.cpu = '250m';
    container(objects).resources.requests.cpu = '0.25';
    const [problem] = withCode(validate(objects), 'policy/limits-gte-requests');
    expect(problem.place.field).toBe(`${CONTAINER}.resources.limits.memory`);
    expect(problem.message).toContain('limits memory to 500Mi, below its request of 0.5Gi');
  });
});

describe('probes', () => {
  test('policy/readiness-probe and policy/liveness-probe for long-running workloads only', () => {
    const objects = validObjects();
    delete container(objects).readinessProbe;
    delete container(objects).livenessProbe;
    objects.push({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop' },
      spec: { template: { spec: { restartPolicy: 'Never', securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ ...container(validObjects()), name: 'migrate', readinessProbe: undefined, livenessProbe: undefined, ports: undefined }] } } },
    });
    const problems = validate(objects);
    expect(withCode(problems, 'policy/readiness-probe').map((p) => [p.place.object, p.place.field])).toEqual([['Deployment/flights', `${CONTAINER}.readinessProbe`]]);
    expect(withCode(problems, 'policy/liveness-probe').map((p) => p.place.object)).toEqual(['Deployment/flights']);
  });
});

describe('policy/image-tag-pinned', () => {
  test.each([
    ['registry.example.com/travel/flights', 'without a tag'],
    ['registry.example.com:5000/travel/flights:latest', 'tagged latest'],
  ])('%s', (image, why) => {
    const objects = validObjects();
    container(objects).image = image;
    const [problem] = withCode(validate(objects), 'policy/image-tag-pinned');
    expect(problem.place.field).toBe(`${CONTAINER}.image`);
    expect(problem.message).toContain(why);
  });

  test('imageTag does not mistake a registry port for a tag', () => {
    expect(imageTag('registry:5000/app')).toEqual({ repository: 'registry:5000/app', tag: undefined, digest: undefined });
    expect(imageTag('registry:5000/app:1.0@sha256:abc')).toEqual({ repository: 'registry:5000/app', tag: '1.0', digest: 'sha256:abc' });
  });
});

test('policy/secure-context lists every missing setting of a container in one finding', () => {
  const objects = validObjects();
  delete flights(objects).spec.template.spec.securityContext;
  container(objects).securityContext = { allowPrivilegeEscalation: true };
  const [problem] = withCode(validate(objects), 'policy/secure-context');
  expect(problem.place.field).toBe(`${CONTAINER}.securityContext`);
  expect(problem.message).toContain('runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault');
});

describe('policy/pdb-when-replicated', () => {
  test('replicas > 1 without a PDB', () => {
    const objects = validObjects().filter((o) => o.kind !== 'PodDisruptionBudget' && o.kind !== 'HorizontalPodAutoscaler');
    objects.splice(objects.indexOf(find(objects, 'Canary', 'flights')), 1);
    const [problem] = withCode(validate(objects), 'policy/pdb-when-replicated');
    expect(problem.place).toMatchObject({ object: 'Deployment/flights', field: 'spec.replicas' });
    expect(problem.message).toContain('it runs 2 replicas');
  });

  test('an HPA with minReplicas > 1 counts as replicated', () => {
    const objects = validObjects().filter((o) => o.kind !== 'PodDisruptionBudget');
    flights(objects).spec.replicas = 1;
    const [problem] = withCode(validate(objects), 'policy/pdb-when-replicated');
    expect(problem.message).toContain('HorizontalPodAutoscaler flights keeps at least 2 replicas');
  });
});

test('policy/no-host-access: hostNetwork, hostPID, hostIPC and hostPath each reported', () => {
  const objects = validObjects();
  const spec = flights(objects).spec.template.spec;
  Object.assign(spec, { hostNetwork: true, hostPID: true, hostIPC: true });
  spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } });
  const problems = withCode(validate(objects), 'policy/no-host-access');
  expect(problems.map((p) => p.place.field)).toEqual([
    'spec.template.spec.hostIPC',
    'spec.template.spec.hostNetwork',
    'spec.template.spec.hostPID',
    'spec.template.spec.volumes[1].hostPath',
  ]);
  expect(problems[3].message).toContain('/var/run/docker.sock');
});

describe('policy/ingress-tls-in-production', () => {
  test('production requires TLS for every host; staging does not', () => {
    const objects = validObjects();
    const ingress = find(objects, 'Ingress', 'flights');
    ingress.spec.rules.push({ host: 'api.example.com', http: ingress.spec.rules[0].http });
    const [problem] = withCode(validate(objects), 'policy/ingress-tls-in-production');
    expect(problem.place.field).toBe('spec.rules[1].host');
    expect(problem.message).toContain('serves host api.example.com without TLS');
    delete ingress.spec.tls;
    expect(withCode(validate(objects), 'policy/ingress-tls-in-production').map((p) => p.place.field)).toEqual(['spec.tls']);
    expect(withCode(validate(objects, {}, false), 'policy/ingress-tls-in-production')).toEqual([]);
  });

  test('wildcard certificates cover their subdomains', () => {
    const objects = validObjects();
    find(objects, 'Ingress', 'flights').spec.tls[0].hosts = ['*.example.com'];
    expect(withCode(validate(objects), 'policy/ingress-tls-in-production')).toEqual([]);
  });
});

describe('waivers', () => {
  const withoutProbes = () => {
    const objects = validObjects();
    delete container(objects).readinessProbe;
    return objects;
  };

  test('a waived finding is still reported, marked with the reason, and is not an error', () => {
    // GIVEN flights waives the readiness probe rule
    const waivers = { flights: { 'policy/readiness-probe': 'consumes a queue, serves no traffic' } };
    // WHEN validated
    const problems = validate(withoutProbes(), { waivers });
    // THEN the finding is there, waived
    const [problem] = withCode(problems, 'policy/readiness-probe');
    expect(problem.waived).toEqual({ reason: 'consumes a queue, serves no traffic' });
    expect(errorsOf(problems)).toEqual([]);
  });

  test('waivers apply to their service only', () => {
    const problems = validate(withoutProbes(), { waivers: { search: { 'policy/readiness-probe': 'n/a' } } });
    expect(errorsOf(problems).map((p) => p.code)).toEqual(['policy/readiness-probe']);
  });

  test('policy/waiver-without-reason: an empty reason waives nothing and is an error', () => {
    const problems = validate(withoutProbes(), { waivers: { flights: { 'policy/readiness-probe': '  ' } } });
    expect(errorsOf(problems).map((p) => p.code).sort()).toEqual(['policy/readiness-probe', 'policy/waiver-without-reason']);
    const [problem] = withCode(problems, 'policy/waiver-without-reason');
    expect(problem.place).toMatchObject({ cluster: 'c1', service: 'flights', field: 'waivers.flights.policy/readiness-probe', definition: 'src/environments/bookstore.ts' });
  });

  test('policy/waiver-unknown-rule warns about typos in rule ids', () => {
    const problems = validate(validObjects(), { waivers: { flights: { 'policy/readyness-probe': 'typo' } } });
    const [problem] = withCode(problems, 'policy/waiver-unknown-rule');
    expect(problem.severity).toBe('warning');
  });
});
