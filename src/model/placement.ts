import type { ClusterSpec } from './cluster';
import type { FleetSpec, ServiceEntry } from './fleet';
import { fleetIndex } from './fleet-index';
import { applyGroupOf, environmentOf, namespaceOf } from './resolve';

/**
 * What one Flux Kustomization (or Argo CD Application) of a cluster's apps applies: a
 * namespace's own unit (`apps-<namespace>`: its ungrouped services and its secrets), or one
 * applyGroup of it (`apps-<namespace>-<group>`).
 */
export interface AppsUnit {
  readonly namespace: string;
  /** @default - the namespace's own unit */
  readonly group?: string;
}

/** Where one service of a cluster is applied: its namespace and, if any, its applyGroup there. */
export interface Placement extends AppsUnit {
  readonly entry: ServiceEntry;
}

/** The placements of the cluster's services; services the model check rejects (unknown, no environment) are left out. */
export function placementsOn(fleet: FleetSpec, cluster: ClusterSpec): Placement[] {
  return cluster.services.flatMap((name) => {
    const entry = fleetIndex(fleet).services.get(name);
    const environment = entry && environmentOf(entry.system, cluster.environment);
    return entry && environment ? [{ entry, namespace: namespaceOf(entry.service, environment), group: applyGroupOf(entry.service, environment) }] : [];
  });
}

/**
 * The Flux Kustomization (and Argo CD Application suffix) applying a namespace's own services,
 * `apps-<namespace>`, or one applyGroup of it, `apps-<namespace>-<group>`.
 */
export function appsUnitName(unit: AppsUnit): string {
  return unit.group ? `apps-${unit.namespace}-${unit.group}` : `apps-${unit.namespace}`;
}

/**
 * Longest unit name: kustomize-controller labels every object it applies with
 * `kustomize.toolkit.fluxcd.io/name: <name>`, and a label value has at most 63 characters.
 */
export const MAX_APPS_UNIT_NAME = 63;
