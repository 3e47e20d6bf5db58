import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ingressPort, type ResolvedIngress, type ResolvedService } from '../../model/resolve';
import type { GatewayApiChannel } from '../../model/cluster';
import { carriesRetries, DEFAULT_RETRY_STATUS_CODES, type TrafficSpec } from '../../model/traffic';
import { serviceLabels } from '../labels';
import type { ClusterContext } from './cluster-context';

/**
 * Gateway API objects. Their CRDs are the platform's (installed with its Gateway implementation,
 * in the channel the cluster declares) and not among the imported types, so the fields the
 * generator sets are typed here; `npm run check` validates them against the cluster's channel.
 */
interface HttpRouteRule {
  readonly matches: { readonly path: { readonly type: 'PathPrefix'; readonly value: string } }[];
  readonly backendRefs: { readonly name: string; readonly port: number }[];
  readonly timeouts?: { readonly request?: string; readonly backendRequest?: string };
  readonly retry?: { readonly attempts: number; readonly codes: readonly number[] };
}

export interface ServiceHttpRouteProps {
  readonly service: ResolvedService;
  readonly ingress: ResolvedIngress;
  /** The cluster; its `ingress.gateway` is the route's parent. */
  readonly cluster: ClusterContext;
}

/**
 * The entry object of an exposed service on a `gateway-api` cluster: an HTTPRoute attached to
 * the cluster's Gateway for the environment's hosts, to the service's port, carrying its
 * timeouts and retries (`traffic`) — the Gateway API home of App Mesh route policies. A
 * canaried service gets none: Flagger's `gatewayapi` provider writes the HTTPRoute `<name>`.
 *
 * @see https://gateway-api.sigs.k8s.io/api-types/httproute/
 * @see https://gateway-api.sigs.k8s.io/geps/gep-1742/ (timeouts)
 * @see https://gateway-api.sigs.k8s.io/geps/gep-1731/ (retries)
 */
export class ServiceHttpRoute extends Construct {
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceHttpRouteProps) {
    super(scope, id);
    const { service, ingress, cluster } = props;
    const { name, namespace, sectionName } = cluster.ingress.gateway;
    const port = ingressPort(service, ingress);
    const rule: HttpRouteRule = {
      matches: ingress.paths.map((value) => ({ path: { type: 'PathPrefix', value } })),
      backendRefs: [{ name: service.name, port: port.servicePort }],
      ...routePolicy(service.traffic, cluster.gatewayApiChannel),
    };
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        parentRefs: [{ name, namespace, sectionName }],
        hostnames: [...ingress.hosts],
        rules: [rule],
      },
    });
  }
}

/**
 * `timeouts` and `retry` of an HTTPRoute rule from a service's traffic policy. `timeouts` is
 * standard (GEP-1742); `retry` exists only in the experimental channel (GEP-1731), so it is
 * rendered only there — synth refuses retries on a standard cluster (`traffic/experimental-field`)
 * before this is reached, and a standard CRD would prune the field anyway.
 */
export function routePolicy(traffic: TrafficSpec | undefined, channel: GatewayApiChannel): Pick<HttpRouteRule, 'timeouts' | 'retry'> {
  if (!traffic) return {};
  const retries = traffic.retries;
  const timeouts = traffic.timeout || retries?.perTryTimeout ? { request: traffic.timeout, backendRequest: retries?.perTryTimeout } : undefined;
  const retry = retries && carriesRetries('http-route', channel) ? { attempts: retries.attempts, codes: [...(retries.statusCodes ?? DEFAULT_RETRY_STATUS_CODES)] } : undefined;
  return { timeouts, retry };
}
