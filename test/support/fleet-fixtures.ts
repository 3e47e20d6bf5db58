import type { ClusterSpec } from '../../src/model/cluster';
import type { FleetSpec, SystemSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';

/** A small valid fleet for tests that should not depend on the sample fleet's details. */
export function miniFleet(overrides: { service?: Partial<ServiceSpec>; cluster?: Partial<ClusterSpec>; system?: Partial<SystemSpec> } = {}): FleetSpec {
  const service: ServiceSpec = {
    name: 'web',
    image: 'example/web',
    ports: [{ name: 'http', port: 8080 }],
    ingress: {},
    ...overrides.service,
  };
  const system: SystemSpec = {
    name: 'shop',
    definition: 'test/shop.ts',
    services: [service],
    environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: { web: { tag: '1.0.0' } } }],
    ...overrides.system,
  };
  const cluster: ClusterSpec = {
    name: 'stage',
    environment: 'staging',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'traefik' },
    flux: { url: 'https://example.test/fleet' },
    aws: { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0' },
    services: system.services.map((s) => s.name),
    definition: 'test/clusters.ts',
    // The ingress's default TLS secret (`<service>-tls`) comes from the platform (converge/undelivered).
    platformSecrets: [`shop/${service.name}-tls`],
    ...overrides.cluster,
  };
  return { systems: [system], clusters: [cluster], pipeline: ['staging'] };
}
