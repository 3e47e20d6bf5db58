import { clusterContext } from '../charts/microservice/cluster-context';
import type { ClusterSpec } from '../model/cluster';
import { allServices, type FleetSpec } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';
import type { Problem } from '../model/problem';
import { environmentOf, namespaceOf } from '../model/resolve';
import { convergeCluster } from './converge-cluster';
import type { ArgoCdBuilds, CallEdge, DataPlaneSpec } from './converge-input';

/** One cluster's rendered objects as Flux applies them: the entry objects and each path's build. */
export interface ClusterBuilds {
  readonly name: string;
  readonly entry: readonly KubeObject[];
  readonly builds: ReadonlyMap<string, readonly KubeObject[]>;
  /** The Argo CD flavour's bootstrap objects and the parent's directory of Applications. @default - no Argo CD */
  readonly argoCd?: ArgoCdBuilds;
}

/** The chart whose pods are the data plane of each ingress controller the generator installs. */
const INGRESS_CHART = { traefik: 'traefik', istio: 'gateway', nginx: 'ingress-nginx' } as const;

/** Runs the converge checks on every cluster, with the facts only the model knows (calls, the platform's data planes and secrets). */
export function convergeFleet(fleet: FleetSpec, clusters: readonly ClusterBuilds[]): Problem[] {
  return clusters.flatMap((built) => {
    const spec = fleet.clusters.find((c) => c.name === built.name);
    if (!spec) return [];
    return convergeCluster({
      cluster: built.name,
      entry: built.entry,
      builds: built.builds,
      argoCd: built.argoCd,
      calls: callEdges(fleet, spec),
      ingressDataPlane: ingressDataPlane(spec),
      platformSecrets: spec.platformSecrets ?? [],
      definition: spec.definition,
    });
  });
}

/** The model's `calls` between services placed on the cluster, with the ports each callee exposes. */
export function callEdges(fleet: FleetSpec, cluster: ClusterSpec): CallEdge[] {
  const placed = allServices(fleet).filter((e) => cluster.services.includes(e.service.name));
  const where = new Map(
    placed.flatMap((e) => {
      const environment = environmentOf(e.system, cluster.environment);
      return environment ? [[e.service.name, { namespace: namespaceOf(e.service, environment), ports: (e.service.ports ?? []).map((p) => p.port) }] as const] : [];
    }),
  );
  return placed.flatMap((e) => {
    const caller = where.get(e.service.name);
    if (!caller) return [];
    return (e.service.calls ?? []).flatMap((name) => {
      const callee = where.get(name);
      return callee ? [{ caller: { namespace: caller.namespace, name: e.service.name }, callee: { namespace: callee.namespace, name }, ports: callee.ports }] : [];
    });
  });
}

/** Where the cluster's ingress data plane runs: an installed chart, the VPC (ALB), or the platform's Gateway. */
export function ingressDataPlane(cluster: ClusterSpec): DataPlaneSpec {
  const context = clusterContext(cluster);
  switch (context.ingress.controller) {
    case 'alb':
      return { kind: 'external', description: 'the ALB (target-type ip: requests come from load balancer addresses in the VPC)' };
    case 'gateway-api':
      // The implementation decides where its proxies run (gatewayApi.implementation / dataPlaneNamespace).
      return { kind: 'platform', namespace: context.gatewayDataPlaneNamespace, labels: {}, description: `the data plane of Gateway ${context.ingress.gateway.namespace}/${context.ingress.gateway.name} (pods in ${context.gatewayDataPlaneNamespace})` };
    default:
      return { kind: 'chart', chart: INGRESS_CHART[context.ingress.controller] };
  }
}
