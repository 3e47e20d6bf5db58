import type { ClusterSpec } from './cluster';
import { error, type Problem } from './problem';

/**
 * An IngressGroup name the AWS Load Balancer Controller accepts: "groupName must consist of lower
 * case alphanumeric characters, - or ., and must start and end with an alphanumeric character",
 * at most 63 characters.
 * @see https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/ingress/annotations.md (IngressGroup)
 */
const ALB_GROUP_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

/** The cluster's `ingress.albGroup`: an ALB cluster's setting, and a name the controller accepts. */
export function checkAlbGroup(cluster: ClusterSpec): Problem[] {
  const group = cluster.ingress.albGroup;
  if (group === undefined) return [];
  const place = { cluster: cluster.name, environment: cluster.environment, field: 'ingress.albGroup', definition: cluster.definition };
  if (cluster.ingress.controller !== 'alb') {
    return [error('model/alb-group-without-alb', place, `albGroup "${group}" groups ALB Ingresses, but cluster ${cluster.name}'s ingress controller is ${cluster.ingress.controller}`, "remove albGroup, or set ingress.controller: 'alb'")];
  }
  if (!ALB_GROUP_NAME.test(group)) {
    return [error('model/invalid-alb-group', place, `albGroup "${group}" is not an IngressGroup name: the AWS Load Balancer Controller rejects the Ingresses of cluster ${cluster.name} and builds no ALB for them`, "use at most 63 lower-case letters, digits, '-' or '.', starting and ending with a letter or digit, e.g. 'travelbuddy'")];
  }
  return [];
}
