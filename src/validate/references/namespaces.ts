import { error, type Problem } from '../../model/problem';
import type { ValidationContext } from '../validation-context';

/**
 * `ref/namespace-missing`: every namespaced object lives in a namespace that exists — one rendered
 * for this cluster, or one the API server creates itself (`knownNamespaces`). Flux applies a
 * Kustomization in one go, so an object in an unrendered namespace fails the whole apply.
 */
export function checkNamespaces(ctx: ValidationContext): Problem[] {
  const known = new Set(ctx.options.knownNamespaces);
  return ctx.index.objects
    .filter((obj) => obj.metadata.namespace !== undefined)
    .filter((obj) => !ctx.index.renderedNamespaces.has(obj.metadata.namespace!) && !known.has(obj.metadata.namespace!))
    .map((obj) =>
      error(
        'ref/namespace-missing',
        ctx.placeOf(obj, 'metadata.namespace'),
        `Namespace "${obj.metadata.namespace}" is not rendered for cluster ${ctx.cluster}, so ${obj.kind}/${obj.metadata.name} cannot be applied.`,
        `Render a Namespace "${obj.metadata.namespace}" in this cluster's overlays, or move the object to an existing namespace.`,
      ),
    );
}
