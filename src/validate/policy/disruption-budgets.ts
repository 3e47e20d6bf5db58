import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { namespaceOf } from '../cluster-index';
import { num, record, str } from '../json';
import { labelSelectorMatches } from '../label-selector';
import type { ValidationContext } from '../validation-context';

/**
 * `policy/pdb-when-replicated`: a workload that runs more than one replica — `spec.replicas > 1`,
 * or a HorizontalPodAutoscaler with `minReplicas > 1` — has a PodDisruptionBudget selecting its
 * pods; otherwise a node drain may evict every replica at once (kube-score:
 * deployment-has-poddisruptionbudget).
 */
export function checkDisruptionBudgets(ctx: ValidationContext): Problem[] {
  // Indexed once: a large cluster has thousands of workloads and as many budgets.
  const hpaByTarget = new Map<string, KubeObject>();
  for (const hpa of ctx.index.ofKind('HorizontalPodAutoscaler')) {
    const target = record(record(hpa.spec).scaleTargetRef);
    hpaByTarget.set(`${namespaceOf(hpa)}/${str(target.kind)}/${str(target.name)}`, hpa);
  }
  const budgetSelectors = new Map<string, unknown[]>();
  for (const pdb of ctx.index.ofKind('PodDisruptionBudget')) {
    const selector = record(pdb.spec).selector;
    if (selector !== undefined) budgetSelectors.set(namespaceOf(pdb), [...(budgetSelectors.get(namespaceOf(pdb)) ?? []), selector]);
  }
  return ctx.index.podTemplates
    .filter((t) => t.longRunning && t.owner.kind !== 'DaemonSet' && t.owner.kind !== 'ReplicaSet')
    .flatMap((template) => {
      const owner = template.owner;
      const replicas = num(record(owner.spec).replicas) ?? 1;
      const hpa = hpaByTarget.get(`${template.namespace}/${owner.kind}/${owner.metadata.name}`);
      const minReplicas = hpa ? (num(record(hpa.spec).minReplicas) ?? 1) : undefined;
      if (replicas <= 1 && (minReplicas === undefined || minReplicas <= 1)) return [];
      const protectedBy = (budgetSelectors.get(template.namespace) ?? []).some((selector) => labelSelectorMatches(selector, template.labels));
      if (protectedBy) return [];
      const why = minReplicas !== undefined && minReplicas > 1 ? `HorizontalPodAutoscaler ${hpa!.metadata.name} keeps at least ${minReplicas} replicas` : `it runs ${replicas} replicas`;
      return [
        error(
          'policy/pdb-when-replicated',
          ctx.placeOf(owner, minReplicas !== undefined && minReplicas > 1 ? undefined : 'spec.replicas'),
          `${owner.kind} ${owner.metadata.name} has no PodDisruptionBudget although ${why}; a node drain may evict all of them at once.`,
          'Render a PodDisruptionBudget (e.g. maxUnavailable: 1) whose selector matches the pod template labels.',
        ),
      ];
    });
}
