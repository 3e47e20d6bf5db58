import { error, type Problem } from '../../model/problem';
import { str } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * `ref/non-existent-service-account`: the ServiceAccount a pod runs as is rendered in its
 * namespace (`default` always exists). Otherwise the ReplicaSet cannot create pods at all.
 */
export function checkServiceAccounts(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates.flatMap((template) => {
    const field = template.spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount';
    const name = str(template.spec[field]);
    if (!name || name === 'default' || ctx.index.find('ServiceAccount', template.namespace, name)) return [];
    const owner = template.owner;
    return [
      error(
        'ref/non-existent-service-account',
        ctx.placeOf(owner, `${template.specPath}.${field}`),
        `${owner.kind} ${owner.metadata.name} runs as ServiceAccount "${name}", which is not rendered in namespace ${template.namespace}.`,
        `Render ServiceAccount "${name}" in namespace ${template.namespace}, or fix ${field}.`,
      ),
    ];
  });
}
