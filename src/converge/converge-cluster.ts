import type { KubeObject } from '../model/kube-object';
import type { Problem } from '../model/problem';
import { sortProblems } from '../validate/validate-cluster';
import { checkCanaryTraffic } from './canary-traffic';
import { checkChartSources } from './chart-sources';
import { deriveClusterState, podSet, type ClusterState } from './cluster-state';
import { allObjects, type ConvergeInput, type DataPlaneSpec } from './converge-input';
import { checkDelivery } from './delivery';
import { checkDisruptionBudgets } from './disruption-budgets';
import { checkDrain } from './drain';
import { checkAutoscaling } from './autoscaling';
import { chartOf } from './helm-release-pods';
import type { Source } from './network-policy';
import { checkOwnership } from './ownership';
import { checkReachability } from './reachability';
import { checkWaitHealth } from './wait-health';
import { appliedUnits } from './applied-units';

/**
 * What the controllers will do with one cluster's output, and whether the result serves:
 * derives the cluster's future state (src/converge/cluster-state.ts), then checks reachability,
 * delivery, readiness and ownership over it. Returns every finding, sorted.
 */
export function convergeCluster(input: ConvergeInput): Problem[] {
  const objects = allObjects(input);
  const state = deriveClusterState(objects);
  const units = appliedUnits(input);
  // Applied before any unit: flux bootstrap's entry files, and Argo CD's bootstrap (applied by hand).
  const preApplied = [...input.entry, ...(input.argoCd?.bootstrap ?? [])];
  const problems = [
    ...checkReachability({ cluster: input.cluster, state, calls: input.calls ?? [], ingress: ingressSource(state, input.ingressDataPlane) }),
    ...checkDisruptionBudgets(input.cluster, state),
    ...checkDrain(input.cluster, state),
    ...checkAutoscaling(input.cluster, state),
    ...checkDelivery(input.cluster, units, preApplied, input.platformSecrets ?? []),
    ...checkWaitHealth(input.cluster, units, preApplied),
    ...checkChartSources(input.cluster, objects),
    ...checkCanaryTraffic(input.cluster, state, input.calls ?? []),
    ...checkOwnership(input.cluster, units, input.entry, input.argoCd?.bootstrap ?? []),
  ];
  const definition = input.definition;
  return sortProblems(definition ? problems.map((p) => (p.place.definition ? p : { ...p, place: { ...p.place, definition } })) : problems);
}

/** The ingress data plane as a traffic source. */
function ingressSource(state: ClusterState, spec: DataPlaneSpec | undefined): Source | undefined {
  if (!spec) return undefined;
  if (spec.kind === 'external') return { kind: 'external', description: spec.description };
  if (spec.kind === 'platform') {
    const pods = podSet({
      id: `${spec.description} (platform, namespace ${spec.namespace})`,
      namespace: spec.namespace,
      labels: spec.labels,
      annotations: {},
      origin: 'platform',
      source: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: spec.namespace } } as KubeObject,
      namespaceLabels: state.namespaceLabels(spec.namespace),
    });
    return { kind: 'pods', pods };
  }
  const pods = state.pods.find((p) => p.origin === 'helm-release' && chartOf(p.source) === spec.chart);
  return pods ? { kind: 'pods', pods } : undefined;
}
