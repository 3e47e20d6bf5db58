import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { num, record, str } from '../validate/json';
import type { ClusterState } from './cluster-state';
import { placeOf } from './place';
import { autoscalersOf, canaryOf, hpaRange } from './replicas';

/**
 * `converge/replicas-conflict`: two owners of one workload's replica count.
 * - An HPA scales a workload whose manifest sets `spec.replicas`: Flux (server-side apply,
 *   fluxcd/kustomize-controller) and Argo CD (self-heal) re-apply the manifest's count on every
 *   reconcile and undo the HPA's scaling; Kubernetes says to remove `spec.replicas` when an HPA
 *   is enabled (kubernetes.io docs tasks/run-application/horizontal-pod-autoscale,
 *   "Migrating Deployments and StatefulSets to horizontal autoscaling"). Argo Rollouts' docs say
 *   the same for an HPA on a Rollout (argo-rollouts docs features/hpa-support.md).
 * - Two HPAs scale the same workload: the HPA controller refuses both (condition ScalingActive
 *   False, reason AmbiguousSelector; kubernetes/kubernetes pkg/controller/podautoscaler/horizontal.go).
 * - An HPA scales a Canary's target but the Canary has no `autoscalerRef`: Flagger scales the
 *   target to 0 after each analysis and gives its primary a fixed count (fluxcd/flagger v1.44.0
 *   pkg/canary/deployment_controller.go), so the pods that serve are never autoscaled.
 */
export const REPLICAS_CONFLICT = 'converge/replicas-conflict';

const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout'];

export function checkAutoscaling(cluster: string, state: ClusterState): Problem[] {
  return SCALABLE.flatMap((kind) => state.ofKind(kind)).flatMap((workload) => {
    const hpas = autoscalersOf(state, workload);
    if (hpas.length === 0) return [];
    const name = `${workload.kind} ${namespaceOf(workload)}/${workload.metadata.name}`;
    const hpa = hpas[0];
    const hpaName = `HorizontalPodAutoscaler ${namespaceOf(hpa)}/${hpa.metadata.name}`;
    const problems: Problem[] = [];
    const replicas = num(record(workload.spec).replicas);
    if (replicas !== undefined) {
      const { min, max } = hpaRange(hpa);
      problems.push(
        error(
          REPLICAS_CONFLICT,
          placeOf(cluster, workload, 'spec.replicas'),
          `${name} sets spec.replicas: ${replicas}, and ${hpaName} scales it between ${min} and ${max}: every reconcile re-applies ${replicas} replicas and undoes the autoscaler's scaling.`,
          `Remove spec.replicas from ${name} (the HPA owns the count; set the floor with minReplicas), or remove ${hpaName}.`,
        ),
      );
    }
    if (hpas.length > 1) {
      problems.push(
        error(
          REPLICAS_CONFLICT,
          placeOf(cluster, hpas[1], 'spec.scaleTargetRef'),
          `${hpas.map((h) => `HorizontalPodAutoscaler ${namespaceOf(h)}/${h.metadata.name}`).join(' and ')} all scale ${name}: the HPA controller refuses to scale a workload two autoscalers target (AmbiguousSelector), so none of them scales it.`,
          `Keep one HorizontalPodAutoscaler for ${name}.`,
        ),
      );
    }
    const canary = canaryOf(state, workload);
    if (canary && str(record(record(canary.spec).autoscalerRef).name) === undefined) {
      problems.push(
        error(
          REPLICAS_CONFLICT,
          placeOf(cluster, canary, 'spec.autoscalerRef'),
          `${hpaName} scales ${name}, the target of Canary ${namespaceOf(canary)}/${canary.metadata.name}, which has no autoscalerRef: Flagger scales the target to 0 after each analysis and gives ${workload.metadata.name}-primary, which serves every request, a fixed replica count that no autoscaler changes.`,
          `Set the Canary's autoscalerRef to ${hpaName} (Flagger then creates ${hpa.metadata.name}-primary for the primary).`,
        ),
      );
    }
    return problems;
  });
}
