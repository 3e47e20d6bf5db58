import { error, type Problem } from '../../model/problem';
import type { ValidationContext } from '../validation-context';
import { containersOf } from '../workloads';

/**
 * `policy/liveness-probe` and `policy/readiness-probe`: every container of a long-running workload
 * (Deployment, StatefulSet, DaemonSet, Rollout) declares both. Without readiness, rollouts and
 * Flagger analysis send traffic to pods that are still starting; without liveness, a hung process
 * is never restarted. Jobs and init containers are exempt: they end by themselves.
 */
export function checkProbes(ctx: ValidationContext): Problem[] {
  return ctx.index.podTemplates
    .filter((t) => t.longRunning)
    .flatMap((template) =>
      containersOf(template)
        .filter((ref) => !ref.init)
        .flatMap((ref) =>
          (['readiness', 'liveness'] as const)
            .filter((kind) => ref.container[`${kind}Probe`] === undefined)
            .map((kind) =>
              error(
                `policy/${kind}-probe`,
                ctx.placeOf(template.owner, `${ref.path}.${kind}Probe`),
                `Container "${ref.name}" of ${template.owner.kind} ${template.owner.metadata.name} has no ${kind} probe; ${
                  kind === 'readiness' ? 'it receives traffic before it can serve it' : 'a hung process is never restarted'
                }.`,
                kind === 'readiness'
                  ? 'Add a readinessProbe (an HTTP health endpoint, or tcpSocket on the serving port), or waive the rule for a worker that serves no traffic.'
                  : 'Add a livenessProbe that fails only when the process cannot recover by itself.',
              ),
            ),
        ),
    );
}
