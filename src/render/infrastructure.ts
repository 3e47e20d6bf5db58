import type { ClusterSpec } from '../model/cluster';
import type { FleetSpec } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';

/**
 * A cluster's infrastructure, split in the two Flux stages that must run before apps:
 * `controllers` (CRDs and controllers: HelmRepository + HelmRelease, their namespaces) and
 * `configs` (objects that need those CRDs, e.g. Traefik middlewares or Flagger MetricTemplates).
 */
export interface ClusterInfrastructure {
  readonly controllers: readonly KubeObject[];
  readonly configs: readonly KubeObject[];
}

export function renderInfrastructure(_fleet: FleetSpec, _cluster: ClusterSpec): ClusterInfrastructure {
  return { controllers: [], configs: [] };
}
