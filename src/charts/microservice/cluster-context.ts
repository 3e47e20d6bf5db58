import type { ClusterSpec, GatewayApiChannel, GatewayRefSpec, IngressControllerSpec, MeshKind } from '../../model/cluster';
import { flaggerProvider, metricsServer, type FlaggerProvider } from '../../model/progressive-delivery';

/**
 * What a chart needs to know about the cluster it renders for. Undefined for the
 * environment-neutral base, which must not depend on any cluster.
 */
export interface ClusterContext {
  readonly name: string;
  readonly provider: ClusterSpec['provider'];
  readonly ingress: Required<Pick<IngressControllerSpec, 'controller' | 'className' | 'externalDns' | 'gateway'>> & Pick<IngressControllerSpec, 'certificateArn'>;
  readonly mesh: MeshKind;
  /** Release channel of the cluster's Gateway API CRDs: experimental fields are rendered only there. */
  readonly gatewayApiChannel: GatewayApiChannel;
  /** How canaries run here; undefined when the cluster has no progressive delivery. */
  readonly progressive?: {
    readonly engine: 'flagger' | 'argo-rollouts';
    readonly provider: FlaggerProvider;
    readonly metricsServer?: string;
  };
}

/** The Gateway of `gateway-api` clusters and Flagger's `gatewayapi` provider, unless the cluster names one. */
export const DEFAULT_GATEWAY: GatewayRefSpec = { name: 'public', namespace: 'gateway-system' };

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
export function ingressNamespace(ingress: ClusterContext['ingress']): string | undefined {
  switch (ingress.controller) {
    case 'alb':
      return undefined;
    case 'gateway-api':
      return ingress.gateway.namespace;
    default:
      return INGRESS_CONTROLLER_NAMESPACE[ingress.controller];
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
      gateway: cluster.ingress.gateway ?? DEFAULT_GATEWAY,
    },
    mesh: cluster.mesh ?? 'none',
    gatewayApiChannel: cluster.gatewayApi?.channel ?? 'standard',
    progressive: cluster.progressiveDelivery
      ? { engine: cluster.progressiveDelivery.engine, provider: flaggerProvider(cluster), metricsServer: metricsServer(cluster) }
      : undefined,
  };
}
