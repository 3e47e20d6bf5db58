import type { ClusterSpec } from '../../src/model/cluster';
import type { FleetSpec } from '../../src/model/fleet';
import type { KubeObject } from '../../src/model/kube-object';
import { convergeFleet, type ClusterBuilds } from '../../src/converge';
import { renderFleet } from '../../src/render/render-fleet';

/**
 * A fleet that is not the sample: a hotel booking system on eight clusters, one per way a canary
 * runs (Flagger on Traefik, on Istio, blue/green behind an ALB, on Linkerd, on ingress-nginx, on
 * Gateway API; Argo Rollouts behind a platform Gateway), and one whose apps Argo CD applies. The converge mutation tests break one property of it at a time.
 */
// EKS clusters name their VPC (infra/missing-vpc-id) and the StorageClass of Prometheus's volume
// (EKS ≥ 1.30 has no default class: infra/missing-storage-class).
const base = {
  provider: 'eks',
  kubernetesVersion: '1.31',
  flux: { url: 'https://example.test/hotel' },
  aws: { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0' },
  storageClassName: 'gp3',
} as const;

const clusters: ClusterSpec[] = [
  {
    ...base,
    name: 'edge',
    environment: 'staging',
    ingress: { controller: 'traefik' },
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
    platformSecrets: ['hotel/rooms-tls'],
  },
  {
    ...base,
    name: 'mesh',
    environment: 'staging',
    provider: 'gke',
    ingress: { controller: 'istio' },
    mesh: 'istio',
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
    platformSecrets: ['istio-system/public-gateway-tls'],
  },
  {
    ...base,
    name: 'blue',
    environment: 'blue',
    ingress: { controller: 'alb', certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/hotel' },
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
  },
  {
    ...base,
    name: 'rollouts',
    environment: 'rollouts',
    ingress: { controller: 'gateway-api', gateway: { name: 'public', namespace: 'gateway-system' } },
    preinstalled: ['gateway-api'],
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'argo-rollouts' },
  },
  {
    // Flagger's linkerd provider: the SMI TrafficSplit, analysed by Linkerd Viz's Prometheus.
    ...base,
    name: 'linked',
    environment: 'staging',
    provider: 'generic',
    ingress: { controller: 'traefik' },
    mesh: 'linkerd',
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { prometheus: 'http://prometheus.linkerd-viz:9090' } },
    platformSecrets: ['hotel/rooms-tls'],
  },
  {
    // Flagger's nginx provider: the canary Ingress Flagger clones, measured by ingress-nginx.
    ...base,
    name: 'classic',
    environment: 'staging',
    ingress: { controller: 'nginx' },
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
    platformSecrets: ['hotel/rooms-tls'],
  },
  {
    // Flagger's gatewayapi provider: the HTTPRoute on the platform's Gateway.
    ...base,
    name: 'routes',
    environment: 'staging',
    ingress: { controller: 'gateway-api', gateway: { name: 'public', namespace: 'gateway-system' } },
    preinstalled: ['gateway-api'],
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
  },
  {
    // Argo CD applies the apps (the app-of-apps parent and one child per namespace); Flux the infrastructure.
    ...base,
    name: 'argo',
    environment: 'staging',
    ingress: { controller: 'traefik' },
    services: ['rooms', 'rates'],
    progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
    platformSecrets: ['hotel/rooms-tls'],
    argocd: {},
  },
];

export function hotelFleet(overrides: { clusters?: (c: ClusterSpec) => ClusterSpec } = {}): FleetSpec {
  return {
    systems: [
      {
        name: 'hotel',
        definition: 'test/converge/hotel.ts',
        services: [
          {
            name: 'rooms',
            image: 'example/rooms',
            ports: [{ name: 'http', port: 8080 }],
            ingress: { hosts: ['rooms.hotel.test'] },
            calls: ['rates'],
            probes: { readiness: { http: { path: '/ready' } }, liveness: { http: { path: '/live' } } },
            // The HPA owns the count (Flagger copies it as rooms-primary, Argo Rollouts' Rollout is its target).
            autoscaling: { minReplicas: 2, maxReplicas: 6 },
            disruptionBudget: { minAvailable: 1 },
            canary: { strategy: { kind: 'canary', stepWeight: 20, maxWeight: 60 }, webhooks: { loadTest: {} } },
          },
          {
            name: 'rates',
            image: 'example/rates',
            ports: [{ name: 'grpc', port: 9000, protocol: 'grpc' }],
            probes: { readiness: { tcp: {} }, liveness: { tcp: {} } },
          },
        ],
        environments: [
          { name: 'staging', domain: 'hotel.test', namespace: 'hotel', services: { rooms: { tag: '1.2.0' }, rates: { tag: '3.1.0' } } },
          {
            name: 'blue',
            domain: 'blue.hotel.test',
            namespace: 'hotel',
            services: { rooms: { tag: '1.2.0', canary: { strategy: { kind: 'blue-green', iterations: 5 }, webhooks: { loadTest: {} } } }, rates: { tag: '3.1.0' } },
          },
          {
            name: 'rollouts',
            domain: 'rollouts.hotel.test',
            namespace: 'hotel',
            services: { rooms: { tag: '1.2.0', canary: { strategy: { kind: 'canary', stepWeights: [25, 50] } } }, rates: { tag: '3.1.0' } },
          },
        ],
      },
    ],
    clusters: clusters.map(overrides.clusters ?? ((c) => c)),
    pipeline: ['staging', 'blue', 'rollouts'],
  };
}

/** Each cluster of a fleet as Flux applies it, rendered in memory. */
export function renderedBuilds(fleet: FleetSpec): ClusterBuilds[] {
  const result = renderFleet(fleet);
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((p) => `${p.code} ${p.message}`).join('\n'));
  return result.clusters.map((c) => ({ name: c.spec.name, entry: c.flux.entry, builds: c.flux.builds, argoCd: c.flux.argoCd }));
}

/** A copy of one cluster's builds (Argo CD's included) with `change` applied to every object (return undefined to drop it, an array to add). */
export function mutate(builds: readonly ClusterBuilds[], cluster: string, change: (obj: KubeObject) => KubeObject | KubeObject[] | undefined): ClusterBuilds[] {
  const apply = (objects: readonly KubeObject[]) => objects.flatMap((o) => change(structuredClone(o)) ?? []);
  const applyAll = (map: ReadonlyMap<string, readonly KubeObject[]>) => new Map([...map].map(([path, objects]) => [path, apply(objects)]));
  return builds.map((b) =>
    b.name !== cluster ? b : { ...b, entry: apply(b.entry), builds: applyAll(b.builds), argoCd: b.argoCd && { bootstrap: apply(b.argoCd.bootstrap), builds: applyAll(b.argoCd.builds) } },
  );
}

export function codesOf(fleet: FleetSpec, builds: readonly ClusterBuilds[]): string[] {
  return convergeFleet(fleet, builds).map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`);
}

/** A loosely typed spec, for mutation tests. */
export type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** An object's spec, loosely typed, for a mutation test to break one field. */
export const spec = (obj: KubeObject): Spec => obj.spec as Spec;
/** Whether `obj` is the `kind` named `name` (the object a mutation changes). */
export const is = (obj: KubeObject, kind: string, name: string): boolean => obj.kind === kind && obj.metadata.name === name;
