import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';
import { sortedRecord } from './pod-template';

export interface ServiceIdentityProps {
  readonly service: ResolvedService;
}

/**
 * The service's own ServiceAccount, carrying its cloud identity: EKS IRSA
 * (`eks.amazonaws.com/role-arn`) or GKE Workload Identity (`iam.gke.io/gcp-service-account`),
 * which usually differ per environment and so arrive through overlay patches.
 *
 * @see https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html
 */
export class ServiceIdentity extends Construct {
  readonly resource: k8s.KubeServiceAccount;

  constructor(scope: Construct, id: string, props: ServiceIdentityProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: {
        name: service.serviceAccount.name,
        namespace: service.namespace,
        labels: serviceLabels(service.name, service.system, service.labels),
        annotations: sortedRecord({ ...service.serviceAccount.annotations }),
      },
      automountServiceAccountToken: false,
    });
  }
}
