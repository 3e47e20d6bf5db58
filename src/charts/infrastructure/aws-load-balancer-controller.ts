import { Construct } from 'constructs';
import { CHARTS } from '../../model/controller-versions';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease } from './helm-release';
import { irsaRoleArn, IrsaServiceAccount } from './irsa-service-account';

export const AWS_LOAD_BALANCER_CONTROLLER = 'aws-load-balancer-controller';

/**
 * Annotations that make the AWS Load Balancer Controller (not the deprecated in-tree cloud
 * provider, which makes Classic ELBs) provision an internet-facing NLB sending traffic straight
 * to pod IPs, for the Service of an in-cluster ingress controller or gateway.
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
 */
export function awsNlbServiceAnnotations(): Record<string, string> {
  return {
    'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
    'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing',
    'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
  };
}

/** The chart values the generator sets (everything else keeps the chart's default). */
export interface AwsLoadBalancerControllerValues {
  /** Name of the EKS cluster: tags and discovers the load balancers it owns. */
  readonly clusterName: string;
  readonly region: string;
  readonly vpcId?: string;
  readonly replicaCount: number;
  readonly serviceAccount: { readonly create: false; readonly name: string };
  /** Only ALB clusters serve Ingresses through it; elsewhere it only provisions NLBs for Services. */
  readonly createIngressClassResource: boolean;
  readonly ingressClass: string;
  readonly ingressClassConfig: { readonly default: boolean };
  /** Off: only Services that ask for an NLB (annotations) get one, not every LoadBalancer Service. */
  readonly enableServiceMutatorWebhook: false;
}

export interface AwsLoadBalancerControllerProps {
  /** The fleet cluster name, by convention also the EKS cluster name. */
  readonly cluster: string;
  readonly accountId: string;
  readonly region: string;
  /** @default - discovered from the instance metadata service */
  readonly vpcId?: string;
  /** Serve Ingresses of this class as ALBs; undefined when another controller serves Ingresses. */
  readonly ingressClassName?: string;
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * The AWS Load Balancer Controller: ALBs for Ingresses on `alb` clusters, NLBs for the Service
 * of the in-cluster ingress controller everywhere on EKS. Its ServiceAccount assumes the IAM role
 * `<cluster>-aws-load-balancer-controller` (IRSA).
 *
 * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/installation/
 */
export class AwsLoadBalancerController extends Construct {
  readonly release: ControllerRelease<AwsLoadBalancerControllerValues>;

  constructor(scope: Construct, id: string, props: AwsLoadBalancerControllerProps) {
    super(scope, id);
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: AWS_LOAD_BALANCER_CONTROLLER,
      podSecurity: { level: 'baseline', reason: 'the chart does not set a seccomp profile on its pods, which restricted requires' },
      argocd: props.argocd,
    }).name;
    new IrsaServiceAccount(this, 'ServiceAccount', {
      name: AWS_LOAD_BALANCER_CONTROLLER,
      namespace,
      roleArn: irsaRoleArn(props.accountId, props.cluster, AWS_LOAD_BALANCER_CONTROLLER),
    });
    const pin = CHARTS['aws-load-balancer-controller'];
    this.release = new ControllerRelease(this, 'Release', {
      name: AWS_LOAD_BALANCER_CONTROLLER,
      namespace,
      pin,
      argocd: props.argocd,
      values: {
        clusterName: props.cluster,
        region: props.region,
        vpcId: props.vpcId,
        // Two replicas: its webhooks sit in the path of every Ingress and TargetGroupBinding change.
        replicaCount: 2,
        serviceAccount: { create: false, name: AWS_LOAD_BALANCER_CONTROLLER },
        createIngressClassResource: props.ingressClassName !== undefined,
        ingressClass: props.ingressClassName ?? 'alb',
        ingressClassConfig: { default: props.ingressClassName !== undefined },
        enableServiceMutatorWebhook: false,
      },
    });
  }
}
