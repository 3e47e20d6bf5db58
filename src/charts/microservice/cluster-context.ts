import type { ClusterSpec, GatewayApiChannel, GatewayRefSpec, IngressControllerSpec, MeshKind } from '../../model/cluster';
import { flaggerProvider, metricsServer, type FlaggerProvider } from '../../model/progressive-delivery';

/**
 * What a chart needs to know about the cluster it renders for. Undefined for the
 * environment-neutral base, which must not depend on any cluster.
 */
export interface ClusterContext {
  readonly name: string;
  readonly provider: ClusterSpec['provider'];
  readonly ingress: Required<Pick<IngressControllerSpec, 'controller' | 'className' | 'externalDns' | 'gateway'>> & Pick<IngressControllerSpec, 'certificateArn' | 'albGroup'>;
  readonly mesh: MeshKind;
  /** Release channel of the cluster's Gateway API CRDs: experimental fields are rendered only there. */
  readonly gatewayApiChannel: GatewayApiChannel;
  /** Namespace of the pods that proxy the Gateway's traffic (see gatewayDataPlaneNamespace). */
  readonly gatewayDataPlaneNamespace: string;
  /** How canaries run here; undefined when the cluster has no progressive delivery. */
  readonly progressive?: {
    readonly engine: 'flagger' | 'argo-rollouts';
    readonly provider: FlaggerProvider;
    readonly metricsServer?: string;
  };
}

/** The Gateway of `gateway-api` clusters and Flagger's `gatewayapi` provider, unless the cluster names one. */
export const DEFAULT_GATEWAY: GatewayRefSpec = { name: 'public', namespace: 'gateway-system' };

/** Envoy Gateway's controller namespace, where its default (ControllerNamespace) mode runs every Envoy proxy. */
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system';

/**
 * Where the pods proxying a Gateway's traffic run: the cluster's `gatewayApi.dataPlaneNamespace`,
 * else the implementation's default. Envoy Gateway (envoyproxy/gateway, KubernetesDeployModeType
 * `ControllerNamespace`, the default) creates each Gateway's Envoy Deployment in its own
 * namespace `envoy-gateway-system`, not the Gateway's; Istio's automated deployment puts
 * `<gateway>-istio` in the Gateway's namespace.
 * @see https://gateway.envoyproxy.io/docs/tasks/operations/gateway-namespace-mode/
 * @see https://istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api/#automated-deployment
 */
export function gatewayDataPlaneNamespace(cluster: ClusterSpec): string {
  const api = cluster.gatewayApi;
  if (api?.dataPlaneNamespace) return api.dataPlaneNamespace;
  const gateway = cluster.ingress.gateway ?? DEFAULT_GATEWAY;
  return (api?.implementation ?? 'envoy-gateway') === 'istio' ? gateway.namespace : ENVOY_GATEWAY_NAMESPACE;
}

/** Namespace the generator installs each ingress controller in. */
export const INGRESS_CONTROLLER_NAMESPACE = {
  traefik: 'traefik',
  nginx: 'ingress-nginx',
  istio: 'istio-system',
} as const;

/**
 * Namespace the cluster's ingress data plane runs in (its pods are allowed through
 * NetworkPolicies); undefined for the ALB, which sends traffic straight to pod IPs from the VPC.
 */
export function ingressNamespace(cluster: ClusterContext): string | undefined {
  switch (cluster.ingress.controller) {
    case 'alb':
      return undefined;
    case 'gateway-api':
      return cluster.gatewayDataPlaneNamespace;
    default:
      return INGRESS_CONTROLLER_NAMESPACE[cluster.ingress.controller];
  }
}

export function clusterContext(cluster: ClusterSpec): ClusterContext {
  return {
    name: cluster.name,
    provider: cluster.provider,
    ingress: {
      controller: cluster.ingress.controller,
      className: cluster.ingress.className ?? cluster.ingress.controller,
      externalDns: cluster.ingress.externalDns ?? cluster.ingress.controller === 'alb',
      certificateArn: cluster.ingress.certificateArn,
      albGroup: cluster.ingress.albGroup,
      gateway: cluster.ingress.gateway ?? DEFAULT_GATEWAY,
    },
    mesh: cluster.mesh ?? 'none',
    gatewayApiChannel: cluster.gatewayApi?.channel ?? 'standard',
    gatewayDataPlaneNamespace: gatewayDataPlaneNamespace(cluster),
    progressive: cluster.progressiveDelivery
      ? { engine: cluster.progressiveDelivery.engine, provider: flaggerProvider(cluster), metricsServer: metricsServer(cluster) }
      : undefined,
  };
}
