import { Construct } from 'constructs';
import {
  Rollout,
  RolloutSpecStrategyCanaryMaxSurge,
  RolloutSpecStrategyCanaryMaxUnavailable,
  RolloutSpecStrategyCanaryStepsPauseDuration,
  type RolloutSpecStrategy,
  type RolloutSpecStrategyCanarySteps,
} from '../../../imports/argo-rollouts-argoproj.io';
import { rolloutStepPauses, rolloutStepWeights, type CanarySpec } from '../../model/canary';
import type { ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';

export interface ServiceRolloutProps {
  readonly service: ResolvedService;
  readonly canary: CanarySpec;
}

/**
 * An Argo Rollout for clusters that run Argo Rollouts instead of Flagger. It references the
 * service's Deployment through `workloadRef` (one pod template, rendered once) and scales it
 * down progressively as the Rollout's ReplicaSets take over; steps are `setWeight` + `pause`,
 * each pause its own (`pauses`) or the same for every step (`pause`). `maxSurge`,
 * `maxUnavailable` and `revisionHistoryLimit` are rendered only when declared, so the
 * controller's defaults (25%, 25%, 10) apply otherwise.
 *
 * @see https://argo-rollouts.readthedocs.io/en/stable/features/specification/
 */
export class ServiceRollout extends Construct {
  readonly resource: Rollout;

  constructor(scope: Construct, id: string, props: ServiceRolloutProps) {
    super(scope, id);
    const { service, canary } = props;
    this.resource = new Rollout(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        replicas: service.replicas,
        revisionHistoryLimit: canary.revisionHistoryLimit,
        selector: { matchLabels: { ...service.selector } },
        workloadRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name, scaleDown: 'progressively' },
        strategy: strategy(service, canary),
      },
    });
  }
}

function strategy(service: ResolvedService, canary: CanarySpec): RolloutSpecStrategy {
  const spec = canary.strategy ?? { kind: 'canary' };
  // check-canary rejects blue/green and A/B on Argo clusters before rendering.
  if (spec.kind !== 'canary') throw new Error(`unchecked model: ${service.name} ${spec.kind} on Argo Rollouts`);
  const pauses = rolloutStepPauses(canary, spec);
  const steps: RolloutSpecStrategyCanarySteps[] = rolloutStepWeights(spec).flatMap((weight, i) => [
    { setWeight: weight },
    { pause: { duration: RolloutSpecStrategyCanaryStepsPauseDuration.fromString(pauses[i]) } },
  ]);
  return {
    canary: {
      maxSurge: intOrPercent(spec.maxSurge, RolloutSpecStrategyCanaryMaxSurge),
      maxUnavailable: intOrPercent(spec.maxUnavailable, RolloutSpecStrategyCanaryMaxUnavailable),
      steps,
    },
  };
}

/** A count stays a number and a percentage a string, as the controller's IntOrString reads them. */
function intOrPercent<T>(value: number | string | undefined, type: { fromNumber(n: number): T; fromString(s: string): T }): T | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? type.fromNumber(value) : type.fromString(value);
}
