import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { num, record, str } from '../validate/json';
import type { ClusterState, PodSet } from './cluster-state';

/**
 * How many pods each pod set runs at least and at most, and who decides it:
 *
 * - an HPA whose `scaleTargetRef` names the workload owns it: `minReplicas` (default 1) to
 *   `maxReplicas` (k8s.io/api autoscaling/v2 types.go);
 * - Flagger's primary (fluxcd/flagger v1.44.0 pkg/canary/hpa_reconciler.go): with an
 *   `autoscalerRef`, Flagger copies the HPA as `<hpa>-primary`, rewrites its scaleTargetRef to
 *   `<target>-primary` and keeps min/max (or `autoscalerRef.primaryScalerReplicas`); without
 *   one, the primary gets the target's `spec.replicas` when > 0, else 1
 *   (pkg/canary/deployment_controller.go createPrimaryDeployment);
 * - a Canary's target is scaled to 0 between analyses (deployment_controller.go ScaleToZero);
 * - a Rollout's canary ReplicaSet runs only during an update (argoproj/argo-rollouts v1.9
 *   rollout/canary.go scales it down after promotion), its stable one owns the count;
 * - otherwise `spec.replicas`, defaulting to 1 (apps/v1 Deployment, StatefulSet, ReplicaSet;
 *   argoproj.io/v1alpha1 Rollout).
 * DaemonSets, Jobs, chart and platform pods have no count here (undefined).
 */
export interface ReplicaRange {
  readonly min: number;
  readonly max: number;
  /** Who sets the count, for messages: `HorizontalPodAutoscaler shop/cart-primary (Flagger's copy of cart)`. */
  readonly owner: string;
}

const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout']);

/** HPAs whose scaleTargetRef names `kind/namespace/name`. */
export function autoscalersOf(state: ClusterState, workload: KubeObject): KubeObject[] {
  return state.ofKind('HorizontalPodAutoscaler').filter((hpa) => {
    const ref = record(record(hpa.spec).scaleTargetRef);
    return namespaceOf(hpa) === namespaceOf(workload) && str(ref.kind) === workload.kind && str(ref.name) === workload.metadata.name;
  });
}

/** The Canary whose target is this workload, if any. */
export function canaryOf(state: ClusterState, workload: KubeObject): KubeObject | undefined {
  return state.ofKind('Canary').find((c) => {
    const ref = record(record(c.spec).targetRef);
    return namespaceOf(c) === namespaceOf(workload) && (str(ref.kind) ?? 'Deployment') === workload.kind && str(ref.name) === workload.metadata.name;
  });
}

/**
 * The Rollout that runs this Deployment's template and scales the Deployment down
 * (`workloadRef.scaleDown` onsuccess or progressively; `never`, the default, keeps it running:
 * argoproj/argo-rollouts v1.9 docs/migrating.md).
 */
function workloadRefOf(state: ClusterState, workload: KubeObject): KubeObject | undefined {
  if (workload.kind !== 'Deployment') return undefined;
  return state.ofKind('Rollout').find((r) => {
    const ref = record(record(r.spec).workloadRef);
    const scaleDown = str(ref.scaleDown) ?? 'never';
    return namespaceOf(r) === namespaceOf(workload) && str(ref.name) === workload.metadata.name && scaleDown !== 'never';
  });
}

export function hpaRange(hpa: KubeObject): { min: number; max: number } {
  const spec = record(hpa.spec);
  return { min: num(spec.minReplicas) ?? 1, max: num(spec.maxReplicas) ?? num(spec.minReplicas) ?? 1 };
}

/** The replica range of a pod set, or undefined when the layer does not know it. */
export function replicasOf(state: ClusterState, pods: PodSet): ReplicaRange | undefined {
  const source = pods.source;
  if (!SCALABLE_KINDS.has(source.kind)) return undefined;
  const ns = namespaceOf(source);
  if (pods.origin === 'flagger-primary') return primaryReplicas(state, source);
  if (pods.origin === 'workload' && canaryOf(state, source)) return { min: 0, max: 0, owner: `Flagger (it scales ${source.kind} ${ns}/${source.metadata.name} to 0 between analyses)` };
  if (pods.origin === 'rollout' && pods.labels['rollouts-pod-template-hash'] === 'canary') return { min: 0, max: 0, owner: `Argo Rollouts (the canary ReplicaSet of ${ns}/${source.metadata.name} runs only during an update)` };
  if (pods.origin !== 'workload' && pods.origin !== 'rollout') return undefined;
  const scaledDownBy = workloadRefOf(state, source);
  if (scaledDownBy) return { min: 0, max: 0, owner: `Argo Rollouts (Rollout ${ns}/${scaledDownBy.metadata.name} runs its template and scales it down: workloadRef.scaleDown ${str(record(record(scaledDownBy.spec).workloadRef).scaleDown)})` };
  const [hpa] = autoscalersOf(state, source);
  if (hpa) return { ...hpaRange(hpa), owner: `HorizontalPodAutoscaler ${namespaceOf(hpa)}/${hpa.metadata.name}` };
  const replicas = num(record(source.spec).replicas) ?? 1;
  return { min: replicas, max: replicas, owner: `${source.kind} ${ns}/${source.metadata.name} spec.replicas` };
}

function primaryReplicas(state: ClusterState, target: KubeObject): ReplicaRange {
  const ns = namespaceOf(target);
  const canary = canaryOf(state, target);
  const ref = record(record(canary?.spec).autoscalerRef);
  const hpa = str(ref.name) ? state.find('HorizontalPodAutoscaler', ns, str(ref.name) as string) : undefined;
  if (hpa) {
    const override = record(ref.primaryScalerReplicas);
    const range = hpaRange(hpa);
    return {
      min: num(override.minReplicas) ?? range.min,
      max: num(override.maxReplicas) ?? range.max,
      owner: `HorizontalPodAutoscaler ${ns}/${hpa.metadata.name}-primary (Flagger's copy of ${hpa.metadata.name}, scaling ${target.metadata.name}-primary)`,
    };
  }
  const replicas = num(record(target.spec).replicas);
  const count = replicas !== undefined && replicas > 0 ? replicas : 1;
  return { min: count, max: count, owner: `Flagger (${target.metadata.name}-primary gets ${replicas !== undefined && replicas > 0 ? "the target's spec.replicas" : '1 replica when the target sets none'})` };
}
