import { error, type Problem } from '../../model/problem';
import { groupOf, namespaceOf } from '../cluster-index';
import type { ValidationContext } from '../validation-context';

/**
 * `ref/duplicate-object`: no two objects share API group, kind, namespace and name. Kustomize
 * rejects some duplicates itself, but not across overlays that Flux applies separately — there the
 * last apply silently wins. Versions do not matter: `apps/v1` and `apps/v1beta2` are one object.
 */
export function checkDuplicates(ctx: ValidationContext): Problem[] {
  const seen = new Map<string, number>();
  const problems: Problem[] = [];
  for (const obj of ctx.index.objects) {
    const namespace = obj.metadata.namespace === undefined ? '' : namespaceOf(obj);
    const key = `${groupOf(obj.apiVersion)}/${obj.kind}/${namespace}/${obj.metadata.name}`;
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    if (count === 2) {
      problems.push(
        error(
          'ref/duplicate-object',
          ctx.placeOf(obj),
          `${obj.kind} ${namespace ? `${namespace}/` : ''}${obj.metadata.name} is rendered more than once for cluster ${ctx.cluster}; only one copy would survive.`,
          'Remove one copy, or give the objects different names.',
        ),
      );
    }
  }
  return problems;
}
