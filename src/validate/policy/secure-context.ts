import { error, type Problem } from '../../model/problem';
import { list, record, str } from '../json';
import type { ValidationContext } from '../validation-context';
import { containersOf, type ContainerRef, type PodTemplate } from '../workloads';

/**
 * `policy/secure-context`: every container runs with the restricted Pod Security Standard's
 * settings — non-root, read-only root filesystem, no privilege escalation, all capabilities
 * dropped, RuntimeDefault (or Localhost) seccomp. `runAsNonRoot` and seccomp may be set for the
 * whole pod instead. One finding per container lists everything it lacks.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export function checkSecureContext(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates.flatMap((template) => containersOf(template).flatMap((ref) => checkContainer(template, ref, ctx)));
}

/** The settings the container lacks, as `field: wanted` strings. */
export function missingSecuritySettings(template: PodTemplate, ref: ContainerRef): string[] {
  const pod = record(template.spec.securityContext);
  const own = record(ref.container.securityContext);
  const missing: string[] = [];
  if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true) missing.push('runAsNonRoot: true');
  if (own.readOnlyRootFilesystem !== true) missing.push('readOnlyRootFilesystem: true');
  if (own.allowPrivilegeEscalation !== false) missing.push('allowPrivilegeEscalation: false');
  if (!list(record(own.capabilities).drop).includes('ALL')) missing.push('capabilities.drop: [ALL]');
  const seccomp = str(record(own.seccompProfile).type) ?? str(record(pod.seccompProfile).type);
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') missing.push('seccompProfile.type: RuntimeDefault');
  return missing;
}

function checkContainer(template: PodTemplate, ref: ContainerRef, ctx: ValidationContext): Problem[] {
  const missing = missingSecuritySettings(template, ref);
  if (missing.length === 0) return [];
  return [
    error(
      'policy/secure-context',
      ctx.placeOf(template.owner, `${ref.path}.securityContext`),
      `Container "${ref.name}" of ${template.owner.kind} ${template.owner.metadata.name} does not run restricted: it lacks ${missing.join(', ')}.`,
      `Set securityContext ${missing.join(', ')} on the container (runAsNonRoot and seccompProfile may go on the pod instead).`,
    ),
  ];
}
