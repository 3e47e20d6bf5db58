import type { ClusterSpec } from './cluster';
import { error, type Problem } from './problem';

export const INVALID_ENI_CONFIG = 'model/invalid-eni-config';

const SUBNET_ID = /^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/;
const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/**
 * VPC CNI custom networking (`aws.customNetworking`) names real AWS objects: the ENIConfig's
 * `subnet` and `securityGroups` are passed to EC2 CreateNetworkInterface as they are, and an
 * ENIConfig is picked by a node's zone label, so a zone outside the cluster's region is never
 * used and a malformed id fails on every node that starts ("failed to create ENI"), leaving its
 * pods without IPs. Zone names follow `<region><letter>` (e.g. eu-west-1a).
 * @see https://github.com/aws/amazon-vpc-cni-k8s/blob/master/docs/eniconfig.md
 */
export function checkCustomNetworking(cluster: ClusterSpec): Problem[] {
  const networking = cluster.aws?.customNetworking;
  if (!networking || !cluster.aws) return [];
  const region = cluster.aws.region;
  const place = (field: string) => ({ cluster: cluster.name, environment: cluster.environment, field: `aws.customNetworking.${field}`, definition: cluster.definition });
  const problems: Problem[] = [];
  if (cluster.provider !== 'eks') {
    problems.push(error(INVALID_ENI_CONFIG, place('subnets'), `custom networking is an Amazon VPC CNI feature, but cluster ${cluster.name} is ${cluster.provider}`, 'remove aws.customNetworking from the cluster'));
  }
  const zones = Object.entries(networking.subnets);
  if (zones.length === 0) {
    problems.push(error(INVALID_ENI_CONFIG, place('subnets'), `custom networking on cluster ${cluster.name} names no subnet: nodes would find no ENIConfig and get no pod IPs`, `add one subnet per availability zone, e.g. subnets: { '${region}a': 'subnet-…' }`));
  }
  for (const [zone, subnet] of zones) {
    if (!new RegExp(`^${region.replace(/[-]/g, '\\-')}[a-z]$`).test(zone)) {
      problems.push(error(INVALID_ENI_CONFIG, place(`subnets.${zone}`), `"${zone}" is not an availability zone of region ${region}: the ENIConfig named after it is never chosen by a node of cluster ${cluster.name}`, `name the zone as ${region}a, ${region}b, …`));
    }
    if (!SUBNET_ID.test(subnet)) {
      problems.push(error(INVALID_ENI_CONFIG, place(`subnets.${zone}`), `"${subnet}" is not a subnet id: nodes in ${zone} cannot create pod ENIs`, "use the subnet's id (subnet- and 8 or 17 hex digits), from the stack that created the pod subnets"));
    }
  }
  for (const group of networking.securityGroups ?? []) {
    if (!SECURITY_GROUP_ID.test(group)) {
      problems.push(error(INVALID_ENI_CONFIG, place('securityGroups'), `"${group}" is not a security group id: nodes cannot create pod ENIs`, 'use the security group id (sg- and 8 or 17 hex digits), e.g. the cluster security group'));
    }
  }
  return problems;
}
