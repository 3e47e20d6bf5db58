import { Construct } from 'constructs';
import { CHARTS } from '../../model/controller-versions';
import { ControllerRelease } from './helm-release';

export const AWS_NODE_TERMINATION_HANDLER = 'aws-node-termination-handler';

/**
 * Values of the eks-charts chart in IMDS mode (a DaemonSet on every node that watches its own
 * instance metadata): aws/eks-charts stable/aws-node-termination-handler/values.yaml.
 */
export interface AwsNodeTerminationHandlerValues {
  /** Drain the node on the two-minute Spot interruption notice. */
  readonly enableSpotInterruptionDraining: boolean;
  /** Drain before EC2 scheduled maintenance events. */
  readonly enableScheduledEventDraining: boolean;
}

export interface AwsNodeTerminationHandlerProps {
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * aws-node-termination-handler in `kube-system`, as seed 001 installs it (`helm install
 * aws-node-termination-handler --namespace kube-system eks/aws-node-termination-handler`): on a
 * Spot interruption or scheduled event it cordons and drains the node, so its pods move before
 * EC2 takes the instance back. IMDS mode needs no IAM role (it reads the node's own metadata),
 * so no IRSA ServiceAccount: the chart creates its own.
 *
 * @see https://github.com/aws/aws-node-termination-handler#imds-processor
 */
export class AwsNodeTerminationHandler extends Construct {
  readonly release: ControllerRelease<AwsNodeTerminationHandlerValues>;

  constructor(scope: Construct, id: string, props: AwsNodeTerminationHandlerProps = {}) {
    super(scope, id);
    this.release = new ControllerRelease(this, 'Release', {
      name: AWS_NODE_TERMINATION_HANDLER,
      // kube-system exists on every cluster and admits the chart's hostNetwork DaemonSet.
      namespace: 'kube-system',
      pin: CHARTS[AWS_NODE_TERMINATION_HANDLER],
      argocd: props.argocd,
      values: {
        enableSpotInterruptionDraining: true,
        enableScheduledEventDraining: true,
      },
    });
  }
}
