import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { namespaceOf } from '../validate/cluster-index';
import { record } from '../validate/json';
import { labelSelectorMatches } from '../validate/label-selector';
import type { ClusterState } from './cluster-state';
import { placeOf } from './place';

/**
 * `converge/unprotected-primary`: a PodDisruptionBudget protects a Canary's target pods but not
 * the primary pods Flagger creates from them (their selector label is rewritten to
 * `<value>-primary`, src/converge/flagger.ts). Between analyses the target is scaled to zero and
 * the primary serves every request, without a disruption budget: a node drain may evict all of it.
 */
export const UNPROTECTED_PRIMARY = 'converge/unprotected-primary';

export function checkDisruptionBudgets(cluster: string, state: ClusterState): Problem[] {
  const budgetsByNamespace = new Map<string, KubeObject[]>();
  for (const b of state.ofKind('PodDisruptionBudget')) budgetsByNamespace.set(namespaceOf(b), [...(budgetsByNamespace.get(namespaceOf(b)) ?? []), b]);
  return state.pods
    .filter((p) => p.origin === 'flagger-primary')
    .flatMap((primary) => {
      const inNamespace = budgetsByNamespace.get(primary.namespace) ?? [];
      const target = state.podsOwnedBy(primary.namespace, primary.source.metadata.name).find((p) => p.origin === 'workload' && p.source === primary.source);
      const targetBudgets = target ? inNamespace.filter((b) => labelSelectorMatches(record(b.spec).selector, target.labels)) : [];
      if (targetBudgets.length === 0 || inNamespace.some((b) => labelSelectorMatches(record(b.spec).selector, primary.labels))) return [];
      const budget = targetBudgets[0];
      return [
        error(
          UNPROTECTED_PRIMARY,
          placeOf(cluster, budget, 'spec.selector'),
          `PodDisruptionBudget ${namespaceOf(budget)}/${budget.metadata.name} selects the pods of Deployment ${primary.namespace}/${primary.source.metadata.name}, but not those of ${primary.id} that Flagger creates (labels ${JSON.stringify(primary.labels)}), which serve every request between analyses.`,
          'Select both the target and its primary, e.g. matchExpressions [{ key: <selector label>, operator: In, values: [<name>, <name>-primary] }].',
        ),
      ];
    });
}
