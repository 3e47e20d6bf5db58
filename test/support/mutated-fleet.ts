import fc from 'fast-check';
import type { ClusterSpec } from '../../src/model/cluster';
import type { FleetSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';

/**
 * Random edits of a small fleet, as plain JSON (a child process rebuilds the same fleet from
 * it): services appear and disappear (files are written and pruned), change replicas, tags,
 * ports and namespaces (files change), and about one in six edits breaks the model (a port of
 * 0, a memory limit in a unit Kubernetes does not know), which synth must refuse without
 * touching the output.
 */
export interface FleetMutation {
  readonly services: readonly {
    readonly name: string;
    readonly replicas: number;
    readonly tag: string;
    readonly port: number;
    readonly memory: string;
    readonly ingress: boolean;
    readonly namespace: string;
  }[];
  readonly clusters: readonly string[];
}

const SERVICE_NAMES = ['web', 'api', 'worker', 'cart', 'search'];

export const fleetMutation: fc.Arbitrary<FleetMutation> = fc.record({
  services: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom(...SERVICE_NAMES),
      replicas: fc.integer({ min: 1, max: 3 }),
      tag: fc.constantFrom('1.0.0', '1.1.0', '2.0.0-rc.1'),
      port: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1024, max: 9999 }) }, { weight: 1, arbitrary: fc.constant(0) }),
      memory: fc.oneof({ weight: 12, arbitrary: fc.constantFrom('128Mi', '256Mi', '1Gi') }, { weight: 1, arbitrary: fc.constant('5Gb') }),
      ingress: fc.boolean(),
      namespace: fc.constantFrom('shop', 'pay'),
    }),
    { minLength: 1, maxLength: 4, selector: (s) => s.name },
  ),
  clusters: fc.constantFrom(['stage'], ['stage', 'stage-eu'], ['stage-eu']),
});

export function isBroken(mutation: FleetMutation): boolean {
  return mutation.services.some((s) => s.port === 0 || s.memory === '5Gb');
}

export function mutatedFleet(mutation: FleetMutation): FleetSpec {
  const services: ServiceSpec[] = mutation.services.map((s) => ({
    name: s.name,
    image: `example/${s.name}`,
    namespace: s.namespace,
    replicas: s.replicas,
    ports: [{ name: 'http', port: s.port }],
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: s.memory } },
    ingress: s.ingress ? {} : undefined,
  }));
  const clusters: ClusterSpec[] = mutation.clusters.map((name) => ({
    name,
    environment: 'staging',
    provider: 'eks',
    kubernetesVersion: '1.31',
    ingress: { controller: 'traefik' },
    flux: { url: 'https://example.test/fleet' },
    aws: { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0' },
    services: services.map((s) => s.name),
    // The ingresses' TLS certificates (`<service>-tls`) come from the platform (cert-manager).
    platformSecrets: ['*/*-tls'],
    definition: 'test/clusters.ts',
  }));
  return {
    systems: [
      {
        name: 'shop',
        definition: 'test/shop.ts',
        services,
        environments: [{ name: 'staging', domain: 'shop.test', namespace: 'shop', services: Object.fromEntries(mutation.services.map((s) => [s.name, { tag: s.tag }])) }],
      },
    ],
    clusters,
    pipeline: ['staging'],
  };
}
