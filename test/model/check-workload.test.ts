import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';
import { miniFleet } from '../support/fleet-fixtures';

/** A fleet of `web` (with `service` merged in) and `mail`, a gRPC service on container port 8080 behind Service port 5000. */
function fleetWith(service: Partial<ServiceSpec>, mail: Partial<ServiceSpec> = {}): FleetSpec {
  const base = miniFleet({ service });
  const system = base.systems[0];
  const mailService: ServiceSpec = { name: 'mail', image: 'example/mail', tag: '1.0.0', ports: [{ name: 'grpc', port: 8080, servicePort: 5000, protocol: 'grpc' }], ...mail };
  return {
    ...base,
    systems: [{ ...system, services: [...system.services, mailService] }],
    clusters: [{ ...base.clusters[0], services: ['web', 'mail'] }],
  };
}

function codes(fleet: FleetSpec): string[] {
  return checkFleet(fleet)
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.code} ${p.place.field}`);
}

describe('workload checks', () => {
  it('accepts every new field used well', () => {
    const fleet = fleetWith({
      ports: [{ name: 'http', port: 8080, servicePort: 80 }],
      env: { MAIL_ADDR: { serviceAddress: { service: 'mail', port: 'grpc' } } },
      probes: { readiness: { http: { path: '/ready', port: 8080, headers: { Host: 'web' } }, timeoutSeconds: 2 } },
      podLabels: { app: 'web' },
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      podSecurityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 },
      terminationGracePeriodSeconds: 5,
      initContainers: [
        { name: 'proxy', image: 'example/proxy:1.2', sidecar: true, ports: [{ name: 'admin', port: 9901 }], probes: { readiness: { http: { path: '/ready', port: 'admin' } } } },
        { name: 'migrate', image: 'example/migrate@sha256:' + 'a'.repeat(64), volumeMounts: [{ volume: 'scratch', mountPath: '/work' }] },
      ],
      volumes: { scratch: { emptyDir: { sizeLimit: '1Gi', medium: 'Memory' } }, data: { persistentVolumeClaim: { claimName: 'web-data' } } },
      volumeMounts: [{ volume: 'data', mountPath: '/data' }],
      additionalServices: [{ name: 'web-external', type: 'LoadBalancer', ports: [{ port: 'http', servicePort: 80 }] }],
      serviceType: 'ClusterIP',
      containerName: 'server',
    });
    expect(codes(fleet)).toEqual([]);
  });

  it('checks service addresses in env: service, port, itself', () => {
    const fleet = fleetWith({
      env: {
        A: { serviceAddress: { service: 'nope' } },
        B: { serviceAddress: { service: 'mail', port: 'http' } },
        C: { serviceAddress: { service: 'web' } },
      },
    });
    expect(codes(fleet)).toEqual([
      'model/unknown-service env.A.serviceAddress.service',
      'model/unknown-port env.B.serviceAddress.port',
      'model/calls-itself env.C.serviceAddress.service',
    ]);
  });

  it('treats an env address as a calls edge: the callee must run on the cluster', () => {
    const base = fleetWith({ env: { MAIL: { serviceAddress: { service: 'mail' } } } });
    const fleet = { ...base, clusters: [{ ...base.clusters[0], services: ['web'] }] };
    expect(codes(fleet)).toContain('model/callee-not-on-cluster services');
  });

  it('rejects an unnamed port among several, and duplicate Service ports', () => {
    expect(codes(fleetWith({ ports: [{ port: 8080 }, { name: 'metrics', port: 9090 }] }))).toEqual(expect.arrayContaining(['model/unnamed-port ports[0].name']));
    expect(codes(fleetWith({ ports: [{ name: 'a', port: 8080, servicePort: 80 }, { name: 'b', port: 8081, servicePort: 80 }] }))).toContain('model/duplicate-port ports[1]');
  });

  it('keeps pod labels off the selector, and an adopted selector well-formed', () => {
    expect(codes(fleetWith({ podLabels: { 'app.kubernetes.io/name': 'other' } }))).toEqual(['model/pod-label-overrides-selector podLabels.app.kubernetes.io/name']);
    expect(codes(fleetWith({ existingSelector: { app: 'web' }, podLabels: { app: 'web-v2' } }))).toEqual(['model/pod-label-overrides-selector podLabels.app']);
    expect(codes(fleetWith({ existingSelector: {} }))).toEqual(['model/invalid-selector existingSelector']);
  });

  it('runs as root only with a reason', () => {
    expect(codes(fleetWith({ podSecurityContext: { runAsUser: 0 } }))).toEqual(['model/root-without-reason podSecurityContext.runAsUser']);
    // With the reason it is not this check's finding (Pod Security admission of the namespace still has its say).
    expect(codes(fleetWith({ podSecurityContext: { runAsUser: 0 }, security: { allowRunAsRoot: 'legacy image writes to /root' } })).filter((c) => c.startsWith('model/root-without-reason'))).toEqual([]);
    expect(codes(fleetWith({ terminationGracePeriodSeconds: -1 }))).toEqual(['model/invalid-grace-period terminationGracePeriodSeconds']);
  });

  it('checks init containers and sidecars: names, pinned images, probes only on sidecars, mounts', () => {
    const fleet = fleetWith({
      initContainers: [
        { name: 'web', image: 'example/init:1' },
        { name: 'wait', image: 'busybox', probes: { readiness: { exec: { command: ['true'] } } } },
        { name: 'copy', image: 'busybox:1.36', volumeMounts: [{ volume: 'missing', mountPath: 'relative' }] },
      ],
    });
    expect(codes(fleet)).toEqual([
      'model/duplicate-container initContainers[0].name',
      'model/image-without-version initContainers[1].image',
      'model/probe-on-init-container initContainers[1].probes',
      'model/unknown-volume initContainers[2].volumeMounts[0].volume',
      'model/invalid-mount initContainers[2].volumeMounts[0].mountPath',
    ]);
  });

  it('keeps the generator’s volume names to itself', () => {
    expect(codes(fleetWith({ volumes: { tmp: { emptyDir: {} }, 'secret-db': { emptyDir: {} } } }))).toEqual(['model/invalid-volume volumes.tmp', 'model/invalid-volume volumes.secret-db']);
  });

  it('checks the ServiceAccount choice and additional Services', () => {
    expect(codes(fleetWith({ serviceAccount: { name: 'shared', create: false, awsRoleArn: 'arn:aws:iam::123456789012:role/web' } }))).toEqual(['model/identity-without-account serviceAccount']);
    const fleet = fleetWith({ additionalServices: [{ name: 'mail', ports: [{ port: 'nope' }] }, { name: 'web-internal', ports: [{ port: 'http', nodePort: 30080 }] }] });
    expect(codes(fleet)).toEqual([
      'model/duplicate-service-object additionalServices[0].name',
      'model/unknown-port additionalServices[0].ports[0].port',
      'model/invalid-node-port additionalServices[1].ports[0].nodePort',
    ]);
  });

  it('checks environment overrides of the new fields', () => {
    const base = fleetWith({ serviceAccount: false });
    const system = base.systems[0];
    const environment = { ...system.environments[0], services: { web: { tag: '1.0.0', podLabels: { 'app.kubernetes.io/name': 'x' }, terminationGracePeriodSeconds: 1.5, serviceAccount: { awsRoleArn: 'arn:aws:iam::123456789012:role/web' } } } };
    const fleet = { ...base, systems: [{ ...system, environments: [environment] }] };
    expect(codes(fleet)).toEqual([
      'model/pod-label-overrides-selector services.web.podLabels.app.kubernetes.io/name',
      'model/invalid-grace-period services.web.terminationGracePeriodSeconds',
      'model/identity-without-account services.web.serviceAccount',
    ]);
  });

  it('keeps Flagger-owned Services plain: no other type, no extra Services, no adopted selector', () => {
    const base = fleetWith({ serviceType: 'LoadBalancer', additionalServices: [{ name: 'web-lb' }], canary: { strategy: { kind: 'canary' } } });
    const fleet = { ...base, clusters: [{ ...base.clusters[0], progressiveDelivery: { engine: 'flagger' as const, metrics: { install: 'prometheus' as const } } }] };
    expect(codes(fleet).filter((c) => c.startsWith('canary/flagger-owns-service'))).toEqual(['canary/flagger-owns-service serviceType', 'canary/flagger-owns-service additionalServices']);
  });
});
