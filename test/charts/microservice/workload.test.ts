import type { FleetSpec } from '../../../src/model/fleet';
import type { ServiceSpec } from '../../../src/model/service';
import { secretReferences } from '../../../src/render/secrets/secret-references';
import { findObject, microserviceObjects } from '../../support/chart-objects';
import { miniFleet } from '../../support/fleet-fixtures';

/** `web` (with `service` merged in) first, then `mail`: gRPC on container port 8080 behind Service port 5000. */
function fleetWith(service: Partial<ServiceSpec>, mail: Partial<ServiceSpec> = {}): FleetSpec {
  const base = miniFleet({ service });
  const system = base.systems[0];
  const mailService: ServiceSpec = { name: 'mail', image: 'example/mail', tag: '1.0.0', ports: [{ name: 'grpc', port: 8080, servicePort: 5000, protocol: 'grpc' }], ...mail };
  return { ...base, systems: [{ ...system, services: [...system.services, mailService] }], clusters: [{ ...base.clusters[0], services: ['web', 'mail'] }] };
}

/** Objects of `mail` (the second service) on the cluster. */
function mailObjects(fleet: FleetSpec) {
  const reordered = { ...fleet, systems: [{ ...fleet.systems[0], services: [...fleet.systems[0].services].reverse() }] };
  return microserviceObjects(reordered, true);
}

const FULL: Partial<ServiceSpec> = {
  containerName: 'server',
  ports: [{ name: 'http', port: 8080, servicePort: 80 }],
  additionalServices: [{ name: 'web-external', type: 'LoadBalancer', ports: [{ port: 'http', servicePort: 443, nodePort: 30443 }], annotations: { 'cloud.example/lb': 'external' }, loadBalancerSourceRanges: ['10.0.0.0/8'] }],
  env: { MAIL_ADDR: { serviceAddress: { service: 'mail', port: 'grpc' } }, MAIL_URL: { serviceAddress: { service: 'mail', scheme: 'http' } } },
  probes: {
    readiness: { http: { path: '/ready', headers: { 'X-Probe': 'readiness' } }, timeoutSeconds: 2 },
    liveness: { tcp: { port: 8080 }, periodSeconds: 20 },
    startup: { http: { path: '/started', port: 9901, scheme: 'HTTPS' }, failureThreshold: 30 },
  },
  podSecurityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
  terminationGracePeriodSeconds: 45,
  podLabels: { app: 'web', team: 'shop' },
  podAnnotations: { 'prometheus.io/scrape': 'true' },
  existingSelector: { app: 'web' },
  initContainers: [
    { name: 'proxy', image: 'example/proxy:1.2', sidecar: true, ports: [{ name: 'admin', port: 9902 }], probes: { readiness: { http: { path: '/ready', port: 'admin' } } }, volumeMounts: [{ volume: 'cache', mountPath: '/cache' }] },
    { name: 'migrate', image: 'example/migrate:3.1', args: ['up'], env: { DB: 'localhost:5432' }, resources: { requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } } },
  ],
  volumes: {
    cache: { emptyDir: { sizeLimit: '512Mi', medium: 'Memory' } },
    data: { persistentVolumeClaim: { claimName: 'web-data' } },
    certs: { secret: { name: 'web-certs', items: [{ key: 'tls.crt' }] } },
    bundle: { projected: { sources: [{ configMap: { name: 'ca-bundle' } }, { serviceAccountToken: { path: 'token', audience: 'vault' } }, { downwardAPI: { items: [{ path: 'labels', fieldPath: 'metadata.labels' }] } }] } },
  },
  volumeMounts: [
    { volume: 'data', mountPath: '/data' },
    { volume: 'certs', mountPath: '/etc/certs' },
    { volume: 'bundle', mountPath: '/etc/bundle' },
    { volume: 'cache', mountPath: '/cache', subPath: 'web', readOnly: true },
  ],
};

describe('workload fields', () => {
  const fleet = fleetWith(FULL);

  it('render into the base and the cluster (snapshot)', () => {
    expect(microserviceObjects(fleet, false)).toMatchSnapshot('base');
    expect(microserviceObjects(fleet, true)).toMatchSnapshot('cluster');
  });

  it('Service port differs from the container port; extra LoadBalancer Service; selectors stay plain', () => {
    const objects = microserviceObjects(fleet, true);
    expect(findObject(objects, 'Service', 'web').spec).toMatchObject({ type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] });
    expect(findObject(objects, 'Service', 'web-external').spec).toMatchObject({ type: 'LoadBalancer', loadBalancerSourceRanges: ['10.0.0.0/8'], ports: [{ port: 443, targetPort: 'http', nodePort: 30443 }] });
    const deployment = findObject(objects, 'Deployment');
    expect(deployment.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web', 'app.kubernetes.io/name': 'web', team: 'shop' });
    // The LoadBalancer brings traffic from outside: its container port is open to any address.
    expect(findObject(objects, 'NetworkPolicy').spec.ingress).toContainEqual({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 8080, protocol: 'TCP' }] });
  });

  it('unnamed port → numeric target; headless Service', () => {
    const objects = microserviceObjects(fleetWith({ ports: [{ port: 6379, protocol: 'tcp' }], serviceType: 'headless' }), true);
    const service = findObject(objects, 'Service');
    expect(service.spec).toMatchObject({ type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 6379, targetPort: 6379 }] });
    expect(service.spec.ports[0].name).toBeUndefined();
    const container = findObject(objects, 'Deployment').spec.template.spec.containers[0];
    expect(container.ports).toEqual([{ containerPort: 6379, protocol: 'TCP' }]);
    expect(container.readinessProbe.tcpSocket).toEqual({ port: 6379 });
  });

  it('service addresses: short in the base, FQDN on a cluster, following a port change, and opening the callee', () => {
    const env = (f: FleetSpec, onCluster: boolean) => findObject(microserviceObjects(f, onCluster), 'Deployment').spec.template.spec.containers[0].env;
    expect(env(fleet, false)).toEqual([
      { name: 'MAIL_ADDR', value: 'mail:5000' },
      { name: 'MAIL_URL', value: 'http://mail:5000' },
    ]);
    expect(env(fleet, true)).toEqual([
      { name: 'MAIL_ADDR', value: 'mail.shop.svc.cluster.local:5000' },
      { name: 'MAIL_URL', value: 'http://mail.shop.svc.cluster.local:5000' },
    ]);
    const moved = fleetWith(FULL, { ports: [{ name: 'grpc', port: 8080, servicePort: 6000, protocol: 'grpc' }] });
    expect(env(moved, true)[0]).toEqual({ name: 'MAIL_ADDR', value: 'mail.shop.svc.cluster.local:6000' });
    // No `calls`, yet mail admits web: the address implies the edge.
    expect(findObject(mailObjects(fleet), 'NetworkPolicy').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('probes: headers, numeric ports, scheme, timeouts, startup', () => {
    const container = findObject(microserviceObjects(fleet, true), 'Deployment').spec.template.spec.containers[0];
    expect(container.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 'http', httpHeaders: [{ name: 'X-Probe', value: 'readiness' }] }, timeoutSeconds: 2 });
    expect(container.livenessProbe).toEqual({ tcpSocket: { port: 8080 }, periodSeconds: 20 });
    expect(container.startupProbe).toEqual({ httpGet: { path: '/started', port: 9901, scheme: 'HTTPS' }, failureThreshold: 30 });
  });

  it('pod: user and groups, grace period, annotations, container name; init containers and a native sidecar with secure defaults', () => {
    const pod = findObject(microserviceObjects(fleet, true), 'Deployment').spec.template;
    expect(pod.metadata.annotations).toEqual({ 'prometheus.io/scrape': 'true' });
    expect(pod.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.spec.terminationGracePeriodSeconds).toBe(45);
    expect(pod.spec.containers[0].name).toBe('server');
    const [proxy, migrate] = pod.spec.initContainers;
    expect(proxy).toMatchObject({ name: 'proxy', restartPolicy: 'Always', readinessProbe: { httpGet: { path: '/ready', port: 'admin' } }, volumeMounts: [{ name: 'cache', mountPath: '/cache' }] });
    expect(migrate.restartPolicy).toBeUndefined();
    expect(migrate.resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '256Mi' } });
    for (const container of pod.spec.initContainers) {
      expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    }
    expect(proxy.resources).toEqual({ requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } });
  });

  it('volumes with per-container mounts; files read-only unless a mount says otherwise', () => {
    const spec = findObject(microserviceObjects(fleet, true), 'Deployment').spec.template.spec;
    expect(spec.volumes.map((v: { name: string }) => v.name)).toEqual(['tmp', 'bundle', 'cache', 'certs', 'data']);
    expect(spec.volumes.find((v: { name: string }) => v.name === 'cache').emptyDir).toEqual({ medium: 'Memory', sizeLimit: '512Mi' });
    expect(spec.containers[0].volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data' },
      { name: 'certs', mountPath: '/etc/certs', readOnly: true },
      { name: 'bundle', mountPath: '/etc/bundle', readOnly: true },
      { name: 'cache', mountPath: '/cache', subPath: 'web', readOnly: true },
    ]);
  });

  it('delivers secrets of volumes and init container env like the others', () => {
    const withSecrets = fleetWith({ ...FULL, initContainers: [{ name: 'migrate', image: 'example/migrate:3.1', env: { PASSWORD: { secret: { name: 'db', key: 'password' } } } }] });
    const references = secretReferences(withSecrets, withSecrets.clusters[0]).filter((r) => !r.pullSecret);
    expect(references.map((r) => [r.secret, r.key, r.field])).toEqual([
      ['db', 'password', 'initContainers[0].env.PASSWORD'],
      ['web-certs', 'tls.crt', 'volumes.certs'],
    ]);
  });

  it('without its own ServiceAccount the pod runs as the namespace default', () => {
    const objects = microserviceObjects(fleetWith({ serviceAccount: false }), true);
    expect(objects.some((o) => o.kind === 'ServiceAccount')).toBe(false);
    expect(findObject(objects, 'Deployment').spec.template.spec.serviceAccountName).toBeUndefined();
    const shared = microserviceObjects(fleetWith({ serviceAccount: { name: 'mail', create: false } }), true);
    expect(shared.some((o) => o.kind === 'ServiceAccount')).toBe(false);
    expect(findObject(shared, 'Deployment').spec.template.spec.serviceAccountName).toBe('mail');
  });

  it('per-environment overrides: pod annotations and labels merge, grace period and Services replace', () => {
    const base = fleetWith(FULL);
    const system = base.systems[0];
    const environment = {
      ...system.environments[0],
      services: { web: { tag: '1.0.0', podAnnotations: { extra: 'yes' }, podLabels: { team: 'payments' }, terminationGracePeriodSeconds: 5, serviceType: 'NodePort' as const, additionalServices: [] } },
    };
    const objects = microserviceObjects({ ...base, systems: [{ ...system, environments: [environment] }] }, true);
    const pod = findObject(objects, 'Deployment').spec.template;
    expect(pod.metadata.annotations).toEqual({ extra: 'yes', 'prometheus.io/scrape': 'true' });
    expect(pod.metadata.labels.team).toBe('payments');
    expect(pod.spec.terminationGracePeriodSeconds).toBe(5);
    expect(findObject(objects, 'Service', 'web').spec.type).toBe('NodePort');
    expect(objects.filter((o) => o.kind === 'Service').map((o) => o.metadata.name)).toEqual(['web']);
  });
});
