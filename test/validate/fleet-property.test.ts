import fc from 'fast-check';
import type { ClusterSpec, IngressControllerKind } from '../../src/model/cluster';
import type { FleetSpec } from '../../src/model/fleet';
import { formatProblem } from '../../src/model/problem';
import type { PortProtocol, ServiceSpec } from '../../src/model/service';
import { kustomizeCluster } from '../../src/render/kustomize-build';
import { renderFleet } from '../../src/render/render-fleet';
import { writeOutput } from '../../src/render/write-output';
import { validateFleet } from '../../src/validate/validate-fleet';
import { tempDir } from '../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

/** A random valid fleet: a handful of services on one cluster with random capabilities. */
const fleetArbitrary: fc.Arbitrary<FleetSpec> = fc
  .record({
    controller: fc.constantFrom<IngressControllerKind>('traefik', 'nginx', 'alb', 'istio'),
    flagger: fc.boolean(),
    services: fc.array(
      fc.record({
        protocol: fc.constantFrom<PortProtocol>('http', 'grpc', 'tcp'),
        port: fc.integer({ min: 1024, max: 9999 }),
        replicas: fc.integer({ min: 1, max: 4 }),
        autoscale: fc.boolean(),
        ingress: fc.boolean(),
        canary: fc.boolean(),
        memoryMi: fc.integer({ min: 64, max: 4096 }),
        namespace: fc.constantFrom('team-a', 'team-b'),
        callsPrevious: fc.boolean(),
      }),
      { minLength: 1, maxLength: 5 },
    ),
  })
  .map(({ controller, flagger, services }) => {
    const names = services.map((_, i) => `svc-${i}`);
    const specs: ServiceSpec[] = services.map((s, i) => ({
      name: names[i],
      image: `example/${names[i]}`,
      namespace: s.namespace,
      ports: [{ name: s.protocol === 'grpc' ? 'grpc' : 'main', port: s.port, protocol: s.protocol }],
      resources: { requests: { cpu: '50m', memory: `${Math.floor(s.memoryMi / 2)}Mi` }, limits: { memory: `${s.memoryMi}Mi` } },
      replicas: s.replicas,
      autoscaling: s.autoscale ? { minReplicas: 2, maxReplicas: 2 + s.replicas } : undefined,
      ingress: s.ingress && s.protocol === 'http' ? {} : undefined,
      calls: s.callsPrevious && i > 0 ? [names[i - 1]] : undefined,
      canary: flagger && s.canary && s.protocol === 'http' ? { strategy: controller === 'alb' ? { kind: 'blue-green' } : { kind: 'canary' } } : undefined,
    }));
    const cluster: ClusterSpec = {
      name: 'random',
      environment: 'production',
      provider: controller === 'alb' ? 'eks' : 'gke',
      kubernetesVersion: '1.31',
      ingress: { controller },
      mesh: controller === 'istio' ? 'istio' : 'none',
      flux: { url: 'https://git.example/fleet' },
      services: names,
      aws: controller === 'alb' ? { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0' } : undefined,
      // EKS ≥ 1.30 has no default StorageClass (infra/missing-storage-class without one)
      storageClassName: controller === 'alb' ? 'gp2' : undefined,
      progressiveDelivery: flagger ? { engine: 'flagger', metrics: { install: 'prometheus' } } : undefined,
    };
    return {
      systems: [
        {
          name: 'random',
          definition: 'test/random.ts',
          services: specs,
          environments: [{ name: 'production', domain: 'random.example', production: true, services: Object.fromEntries(names.map((n) => [n, { tag: '1.0.0' }])) }],
        },
      ],
      clusters: [cluster],
      pipeline: ['production'],
    };
  });

describe('random valid fleets (property)', () => {
  it('always render schema-valid, reference-clean and policy-clean output', () => {
    fc.assert(
      fc.property(fleetArbitrary, (fleet) => {
        const result = renderFleet(fleet);
        expect(result.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
        const { results } = validateFleet(fleet, result.clusters.map((c) => ({ name: c.spec.name, production: c.production, kubernetesVersion: c.spec.kubernetesVersion, objects: c.objects })), {
          pathExists: (path) => result.files.has(`${path.replace(/^\.\//, '')}/kustomization.yaml`),
        });
        expect(results.flatMap((r) => r.problems).filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });

  it('always build with kubectl kustomize into exactly the modelled objects', () => {
    fc.assert(
      fc.property(fleetArbitrary, (fleet) => {
        const result = renderFleet(fleet);
        const dir = tempDir();
        writeOutput(dir, result.files);
        const ids = (objects: readonly { kind: string; metadata: { name: string; namespace?: string } }[]) => objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort();
        expect(ids(kustomizeCluster(dir, 'random'))).toEqual(ids(result.clusters[0].objects));
      }),
      { numRuns: 4 },
    );
  });
});
