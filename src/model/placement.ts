import type { ClusterSpec } from './cluster';
import type { FleetSpec, ServiceEntry } from './fleet';
import { fleetIndex } from './fleet-index';
import { applyGroupOf, environmentOf, namespaceOf } from './resolve';

/** Where one service of a cluster is applied: its namespace and, if any, its applyGroup there. */
export interface Placement {
  readonly entry: ServiceEntry;
  readonly namespace: string;
  /** @default - the namespace's own Flux Kustomization */
  readonly group?: string;
}

/** The placements of the cluster's services; services the model check rejects (unknown, no environment) are left out. */
export function placementsOn(fleet: FleetSpec, cluster: ClusterSpec): Placement[] {
  return cluster.services.flatMap((name) => {
    const entry = fleetIndex(fleet).services.get(name);
    const environment = entry && environmentOf(entry.system, cluster.environment);
    return entry && environment ? [{ entry, namespace: namespaceOf(entry.service, environment), group: applyGroupOf(entry.service, environment) }] : [];
  });
}
