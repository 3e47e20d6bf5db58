import type { ClusterSpec } from './cluster';
import { error, type Problem } from './problem';

export const INVALID_INGRESS_NODE_PORT = 'model/invalid-ingress-node-port';

/**
 * The API server's default `--service-node-port-range`; a node port outside it is rejected
 * ("provided port is not in the valid range"), and the Service never exists.
 * @see https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/ (--service-node-port-range, default 30000-32767)
 */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** Controllers whose Service the generator renders and can switch to NodePort. */
const NODE_PORT_CONTROLLERS: readonly string[] = ['traefik', 'nginx'];

/**
 * `ingress.nodePorts` is a contract with a load balancer outside the cluster (its target group
 * names the port), so a port the API server rejects, or two entry points on one port, would
 * leave the load balancer with no healthy targets. The ALB and Istio gateways have no Service
 * of the generator's to set it on.
 */
export function checkIngressNodePorts(cluster: ClusterSpec): Problem[] {
  const ports = cluster.ingress.nodePorts;
  if (!ports) return [];
  const place = (field: string) => ({ cluster: cluster.name, environment: cluster.environment, field: `ingress.nodePorts${field}`, definition: cluster.definition });
  const problems: Problem[] = [];
  if (!NODE_PORT_CONTROLLERS.includes(cluster.ingress.controller)) {
    problems.push(
      error(
        INVALID_INGRESS_NODE_PORT,
        place(''),
        `ingress.nodePorts sets the node ports of the traefik or nginx controller's Service, but cluster ${cluster.name}'s ingress is ${cluster.ingress.controller}, which has no such Service in the output`,
        "remove ingress.nodePorts, or choose ingress: { controller: 'traefik' }",
      ),
    );
  }
  for (const [entry, port] of Object.entries(ports) as [string, number | undefined][]) {
    if (port === undefined) continue;
    if (!Number.isInteger(port) || port < NODE_PORT_RANGE.min || port > NODE_PORT_RANGE.max) {
      problems.push(
        error(
          INVALID_INGRESS_NODE_PORT,
          place(`.${entry}`),
          `node port ${port} is outside the API server's node port range ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}: the controller's Service is rejected and the load balancer finds no target`,
          `use a port from ${NODE_PORT_RANGE.min} to ${NODE_PORT_RANGE.max}, the one the load balancer's target group forwards to`,
        ),
      );
    }
  }
  if (ports.https !== undefined && ports.https === ports.http) {
    problems.push(error(INVALID_INGRESS_NODE_PORT, place('.https'), `http and https both use node port ${ports.http}: a Service cannot expose two ports on one node port`, 'give HTTPS a node port of its own, or leave it unset'));
  }
  return problems;
}
