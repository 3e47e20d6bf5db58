import { clusterContext } from '../../src/charts/microservice/cluster-context';
import { Microservice } from '../../src/charts/microservice/microservice';
import type { ClusterSpec } from '../../src/model/cluster';
import type { FleetSpec } from '../../src/model/fleet';
import type { KubeObject } from '../../src/model/kube-object';
import { resolveService } from '../../src/model/resolve';
import { synthObjects } from '../../src/render/synth-objects';

/** The objects of the first service of a fleet, as its base (no cluster) or on its first cluster. */
export function microserviceObjects(fleet: FleetSpec, onCluster: boolean, cluster: ClusterSpec = fleet.clusters[0]): KubeObject[] {
  const system = fleet.systems[0];
  const service = system.services[0];
  const environment = system.environments.find((e) => e.name === cluster.environment);
  if (!environment) throw new Error('fixture has no environment for the cluster');
  const resolved = resolveService(fleet, system, service, onCluster ? { cluster, environment } : undefined);
  return synthObjects((scope) => new Microservice(scope, service.name, { service: resolved, cluster: onCluster ? clusterContext(cluster) : undefined }));
}

export function findObject(objects: readonly KubeObject[], kind: string, name?: string): any {
  const found = objects.find((obj) => obj.kind === kind && (name === undefined || obj.metadata.name === name));
  if (!found) throw new Error(`no ${kind}${name ? `/${name}` : ''} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
}
