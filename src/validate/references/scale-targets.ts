import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { namespaceOf } from '../cluster-index';
import { record, str, stringMap } from '../json';
import { labelSelectorMatches } from '../label-selector';
import type { ValidationContext } from '../validation-context';

/**
 * Objects that act on a workload name one that exists:
 * `ref/dangling-hpa` — a HorizontalPodAutoscaler's `scaleTargetRef`;
 * `ref/dangling-pdb` — a PodDisruptionBudget's selector matches some workload's pods;
 * `ref/dangling-canary` — a Flagger Canary's `targetRef` and `autoscalerRef`.
 */
export function checkScaleTargets(ctx: ValidationContext): Problem[] {
  return [
    ...ctx.index.ofKind('HorizontalPodAutoscaler').flatMap((hpa) => checkRef(hpa, record(hpa.spec).scaleTargetRef, 'spec.scaleTargetRef', 'ref/dangling-hpa', ctx)),
    ...ctx.index.ofKind('Canary').flatMap((canary) => [
      ...checkRef(canary, record(canary.spec).targetRef, 'spec.targetRef', 'ref/dangling-canary', ctx),
      ...checkRef(canary, record(canary.spec).autoscalerRef, 'spec.autoscalerRef', 'ref/dangling-canary', ctx),
    ]),
    ...ctx.index.ofKind('PodDisruptionBudget').flatMap((pdb) => checkPdb(pdb, ctx)),
  ];
}

function checkRef(owner: KubeObject, ref: unknown, field: string, code: string, ctx: ValidationContext): Problem[] {
  const kind = str(record(ref).kind);
  const name = str(record(ref).name);
  if (!kind || !name) return [];
  if (ctx.index.find(kind, namespaceOf(owner), name)) return [];
  return [
    error(
      code,
      ctx.placeOf(owner, `${field}.name`),
      `${owner.kind} ${owner.metadata.name} targets ${kind} ${name}, which is not rendered in namespace ${namespaceOf(owner)}.`,
      `Fix ${field} to name an existing ${kind}, or remove the ${owner.kind}.`,
    ),
  ];
}

function checkPdb(pdb: KubeObject, ctx: ValidationContext): Problem[] {
  const selector = record(pdb.spec).selector;
  if (selector === undefined) return [];
  const candidates = ctx.index.podTemplatesLabelled(namespaceOf(pdb), stringMap(record(selector).matchLabels));
  if (candidates.some((t) => t.serving && labelSelectorMatches(selector, t.labels))) return [];
  return [
    error(
      'ref/dangling-pdb',
      ctx.placeOf(pdb, 'spec.selector'),
      `PodDisruptionBudget ${pdb.metadata.name} selects no pods: no workload in namespace ${namespaceOf(pdb)} has pod labels matching ${JSON.stringify(selector)}.`,
      'Make spec.selector match the pod template labels of the workload it protects.',
    ),
  ];
}
