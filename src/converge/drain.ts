import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { record } from '../validate/json';
import { labelSelectorMatches } from '../validate/label-selector';
import type { ClusterState, PodSet } from './cluster-state';
import { placeOf } from './place';
import { replicasOf, type ReplicaRange } from './replicas';

/**
 * `converge/drain-blocked`: a PodDisruptionBudget that allows no eviction when the pods it
 * selects run at their minimum count (src/converge/replicas.ts: HPA minReplicas, Flagger's
 * primary copy of the HPA, spec.replicas). The eviction API refuses every eviction while
 * `disruptionsAllowed` is 0, so `kubectl drain`, node group upgrades and cluster-autoscaler
 * scale-down wait forever for these pods.
 *
 * The disruption controller (kubernetes/kubernetes pkg/controller/disruption/disruption.go,
 * getExpectedPodCount) scales percentages against the expected pod count rounding up
 * (intstr.GetScaledValueFromIntOrPercent(…, true)): minAvailable → desiredHealthy, maxUnavailable
 * → expected − scaled; disruptionsAllowed = currentHealthy − desiredHealthy.
 */
export const DRAIN_BLOCKED = 'converge/drain-blocked';

/** The pods a budget requires healthy at `expected` pods, or undefined when it sets neither field. */
export function desiredHealthy(budget: KubeObject, expected: number): number | undefined {
  const spec = record(budget.spec);
  const scaled = (value: unknown): number | undefined => {
    if (typeof value === 'number') return value;
    const percent = typeof value === 'string' ? /^(\d+)%$/.exec(value)?.[1] : undefined;
    return percent === undefined ? undefined : Math.ceil((Number(percent) * expected) / 100);
  };
  const min = scaled(spec.minAvailable);
  if (min !== undefined) return min;
  const maxUnavailable = scaled(spec.maxUnavailable);
  return maxUnavailable === undefined ? undefined : expected - maxUnavailable;
}

export function checkDrain(cluster: string, state: ClusterState): Problem[] {
  return state.ofKind('PodDisruptionBudget').flatMap((budget) => {
    const selector = record(budget.spec).selector;
    const selected = state.pods.filter((p) => p.namespace === namespaceOf(budget) && labelSelectorMatches(selector, p.labels));
    const counted = selected.map((pods) => ({ pods, range: replicasOf(state, pods) }));
    // A pod set whose count is unknown (a chart's, a DaemonSet's) could make room: no finding.
    if (counted.length === 0 || counted.some((c) => c.range === undefined)) return [];
    const running = counted.filter((c): c is { pods: PodSet; range: ReplicaRange } => (c.range as ReplicaRange).min > 0);
    const expected = running.reduce((sum, c) => sum + c.range.min, 0);
    const healthy = desiredHealthy(budget, expected);
    if (expected === 0 || healthy === undefined || expected - healthy > 0) return [];
    const who = running.map((c) => `${c.pods.id} (at least ${c.range.min}: ${c.range.owner})`).join(', ');
    const field = record(budget.spec).minAvailable !== undefined ? 'spec.minAvailable' : 'spec.maxUnavailable';
    return [
      error(
        DRAIN_BLOCKED,
        placeOf(cluster, budget, field),
        `PodDisruptionBudget ${namespaceOf(budget)}/${budget.metadata.name} requires ${healthy} healthy pod(s) of ${who}, which run ${expected} pod(s) at their minimum: it allows no eviction, so every node drain (kubectl drain, node group upgrades, cluster-autoscaler scale-down) waits forever for them.`,
        `Allow one eviction at the minimum: maxUnavailable: 1 instead of ${field.slice(5)} ${JSON.stringify(record(budget.spec)[field.slice(5)])}, or raise the minimum replicas above ${healthy} (${running[0].range.owner}).`,
      ),
    ];
  });
}
