import { Construct } from 'constructs';
import {
  Rollout,
  RolloutSpecStrategyCanaryStepsPauseDuration,
  type RolloutSpecStrategy,
  type RolloutSpecStrategyCanarySteps,
} from '../../../imports/argo-rollouts-argoproj.io';
import type { CanarySpec } from '../../model/canary';
import type { ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';

export interface ServiceRolloutProps {
  readonly service: ResolvedService;
  readonly canary: CanarySpec;
}

/** Weights used when a canary strategy gives none: the flightspecials team's 20/40/60/80. */
export const DEFAULT_ROLLOUT_WEIGHTS = [20, 40, 60, 80];

/**
 * An Argo Rollout for clusters that run Argo Rollouts instead of Flagger. It references the
 * service's Deployment through `workloadRef` (one pod template, rendered once) and scales it
 * down progressively as the Rollout's ReplicaSets take over; steps are `setWeight` + `pause`.
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
  const weights = spec.stepWeights ?? (spec.stepWeight ? range(spec.stepWeight, spec.maxWeight ?? 80) : DEFAULT_ROLLOUT_WEIGHTS);
  const pause = RolloutSpecStrategyCanaryStepsPauseDuration.fromString(spec.pause ?? canary.interval ?? '1m');
  const steps: RolloutSpecStrategyCanarySteps[] = weights.flatMap((weight) => [{ setWeight: weight }, { pause: { duration: pause } }]);
  return { canary: { steps } };
}

function range(step: number, max: number): number[] {
  const weights: number[] = [];
  for (let weight = step; weight <= max; weight += step) weights.push(weight);
  return weights;
}
