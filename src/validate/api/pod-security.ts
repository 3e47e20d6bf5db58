import { disallowedCapabilities, type PodSecurityLevel } from '../../model/kubernetes-rules';
import { error, type Problem } from '../../model/problem';
import { list, record, str } from '../json';
import type { ValidationContext } from '../validation-context';
import { containersOf } from '../workloads';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
const LEVELS: readonly PodSecurityLevel[] = ['restricted', 'baseline', 'privileged'];

/**
 * `api/pod-security`: pods in a rendered Namespace that enforces a Pod Security level add only
 * the capabilities that level allows and, under restricted, run as non-root — admission rejects
 * them otherwise, and a waiver or annotation cannot change that (pod-security-admission
 * policy/check_capabilities_*.go, check_runAsNonRoot.go).
 */
export function checkPodSecurity(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates.flatMap((template) => {
    const label = str(record(ctx.index.renderedNamespaces.get(template.namespace)?.metadata.labels)[ENFORCE_LABEL]);
    const level = LEVELS.find((l) => l === label);
    if (!level || level === 'privileged') return [];
    const pod = record(template.spec.securityContext);
    return containersOf(template).flatMap((ref) => {
      const own = record(ref.container.securityContext);
      const added = list(record(own.capabilities).add).filter((c): c is string => typeof c === 'string');
      const rejected = disallowedCapabilities(level, added);
      const problems: Problem[] = [];
      const owner = template.owner;
      if (rejected.length > 0) {
        problems.push(error('api/pod-security', ctx.placeOf(owner, `${ref.path}.securityContext.capabilities.add`), `Container "${ref.name}" of ${owner.kind} ${owner.metadata.name} adds ${rejected.join(', ')}, which namespace ${template.namespace} (Pod Security "${level}") rejects.`, 'Drop the capability, or run the workload in a namespace whose level allows it.'));
      }
      if (level === 'restricted' && (own.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
        problems.push(error('api/pod-security', ctx.placeOf(owner, `${ref.path}.securityContext.runAsNonRoot`), `Container "${ref.name}" of ${owner.kind} ${owner.metadata.name} does not set runAsNonRoot: true, which namespace ${template.namespace} (Pod Security "restricted") requires.`, 'Run as a non-root user, or run the workload in a baseline namespace.'));
      }
      return problems;
    });
  });
}
