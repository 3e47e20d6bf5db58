import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { INFRASTRUCTURE_LABELS } from './prune-protection';

export interface EniConfigProps {
  /** Availability zone, also the object's name (nodes pick the ENIConfig named after their zone). */
  readonly zone: string;
  /** Subnet the zone's pods get their IPs from (`subnet-…`). */
  readonly subnet: string;
  /** Security groups of the pod ENIs. @default - the node's primary ENI security groups */
  readonly securityGroups?: readonly string[];
}

/**
 * One Amazon VPC CNI ENIConfig (`crd.k8s.amazonaws.com/v1alpha1`, cluster-scoped; the CRD comes
 * with the vpc-cni add-on on every EKS cluster). With `ENI_CONFIG_LABEL_DEF=topology.kubernetes.io/zone`
 * in aws-node's environment, ipamd on each node reads the ENIConfig named after the node's zone
 * and attaches pod ENIs in its subnet (aws/amazon-vpc-cni-k8s docs/eniconfig.md,
 * pkg/eniconfig/eniconfig.go `getNodeSpecificENIConfigName`).
 */
export class EniConfig extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: EniConfigProps) {
    super(scope, id);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'crd.k8s.amazonaws.com/v1alpha1',
      kind: 'ENIConfig',
      metadata: { name: props.zone, labels: { ...INFRASTRUCTURE_LABELS } },
      spec: { subnet: props.subnet, ...(props.securityGroups?.length ? { securityGroups: [...props.securityGroups] } : {}) },
    });
  }
}
