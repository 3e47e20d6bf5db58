import { error, type Problem } from '../../model/problem';
import { childPath } from '../field-path';
import { list, record, str } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * `policy/no-host-access`: pods share nothing with their node — no `hostNetwork`, `hostPID`,
 * `hostIPC` and no `hostPath` volumes. Each is a path from a compromised container to the node.
 * Node agents that truly need one get a waiver with the reason.
 */
export function checkHostAccess(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates.flatMap((template) => {
    const owner = template.owner;
    const name = `${owner.kind} ${owner.metadata.name}`;
    const flags = (['hostNetwork', 'hostPID', 'hostIPC'] as const)
      .filter((flag) => template.spec[flag] === true)
      .map((flag) =>
        error(
          'policy/no-host-access',
          ctx.placeOf(owner, `${template.specPath}.${flag}`),
          `${name} sets ${flag}: true, sharing the node's ${flag.slice(4)} namespace with its pods.`,
          `Remove ${flag}, or waive policy/no-host-access for this service with the reason.`,
        ),
      );
    const volumes = list(template.spec.volumes).flatMap((volume, i) => {
      const hostPath = record(volume).hostPath;
      if (hostPath === undefined) return [];
      return [
        error(
          'policy/no-host-access',
          ctx.placeOf(owner, childPath(template.specPath, 'volumes', i, 'hostPath')),
          `${name} mounts host path ${str(record(hostPath).path) ?? '(unknown)'} from the node (volume "${str(record(volume).name) ?? i}").`,
          'Use a PersistentVolumeClaim, emptyDir or a projected volume instead, or waive the rule with the reason.',
        ),
      ];
    });
    return [...flags, ...volumes];
  });
}
