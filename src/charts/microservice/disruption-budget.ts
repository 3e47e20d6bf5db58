import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { DisruptionBudgetSpec } from '../../model/service';
import type { ResolvedService } from '../../model/resolve';
import { servingPodSelector, serviceLabels } from '../labels';

export interface ServiceDisruptionBudgetProps {
  readonly service: ResolvedService;
  readonly budget: DisruptionBudgetSpec;
  /** Flagger runs a canary of the service: the budget also covers the primary's pods. @default false */
  readonly flaggerPrimary?: boolean;
}

/**
 * A PodDisruptionBudget so node drains and cluster upgrades keep the service up.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export class ServiceDisruptionBudget extends Construct {
  readonly resource: k8s.KubePodDisruptionBudget;

  constructor(scope: Construct, id: string, props: ServiceDisruptionBudgetProps) {
    super(scope, id);
    const { service, budget } = props;
    this.resource = new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        selector: servingPodSelector(service.name, props.flaggerPrimary === true),
        minAvailable: intOrString(budget.minAvailable),
        maxUnavailable: intOrString(budget.minAvailable === undefined ? budget.maxUnavailable : undefined),
      },
    });
  }
}

function intOrString(value: number | string | undefined): k8s.IntOrString | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? k8s.IntOrString.fromNumber(value) : k8s.IntOrString.fromString(value);
}
