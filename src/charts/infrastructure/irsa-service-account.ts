import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { INFRASTRUCTURE_LABELS } from './prune-protection';

/** The annotation EKS's pod identity webhook reads to inject web-identity credentials. */
export const IRSA_ROLE_ANNOTATION = 'eks.amazonaws.com/role-arn';

/**
 * The IAM role of a controller, by convention `arn:aws:iam::<account>:role/<cluster>-<controller>`.
 * The platform team creates the role (Terraform, eksctl) with the controller's IAM policy and a
 * trust policy for `system:serviceaccount:<namespace>:<service account>` on the cluster's OIDC
 * provider; the generator only names it, so both sides agree without sharing state.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export function irsaRoleArn(accountId: string, cluster: string, controller: string): string {
  return `arn:aws:iam::${accountId}:role/${cluster}-${controller}`;
}

export interface IrsaServiceAccountProps {
  readonly name: string;
  readonly namespace: string;
  /** IAM role the controller assumes, see `irsaRoleArn`. */
  readonly roleArn: string;
}

/**
 * A controller's ServiceAccount bound to an IAM role (IRSA). Rendered by the generator instead
 * of the chart (`serviceAccount.create: false`) so the role ARN is a reviewed, tested object and
 * the chart's own defaults cannot drop the annotation. STS regional endpoints keep credential
 * calls inside the cluster's region.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
 */
export class IrsaServiceAccount extends Construct {
  readonly resource: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: IrsaServiceAccountProps) {
    super(scope, id);
    this.resource = new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: { ...INFRASTRUCTURE_LABELS },
        annotations: { [IRSA_ROLE_ANNOTATION]: props.roleArn, 'eks.amazonaws.com/sts-regional-endpoints': 'true' },
      },
    });
  }
}
