import type { ClusterSpec, IngressControllerSpec, MeshKind } from '../../model/cluster';
import { flaggerProvider, metricsServer, type FlaggerProvider } from '../../model/progressive-delivery';

/**
 * What a chart needs to know about the cluster it renders for. Undefined for the
 * environment-neutral base, which must not depend on any cluster.
 */
export interface ClusterContext {
  readonly name: string;
  readonly provider: ClusterSpec['provider'];
  readonly ingress: Required<Pick<IngressControllerSpec, 'controller' | 'className' | 'externalDns'>> & Pick<IngressControllerSpec, 'certificateArn'>;
  readonly mesh: MeshKind;
  /** How canaries run here; undefined when the cluster has no progressive delivery. */
  readonly progressive?: {
    readonly engine: 'flagger' | 'argo-rollouts';
    readonly provider: FlaggerProvider;
    readonly metricsServer?: string;
  };
}

/** Namespace the cluster's ingress controller runs in (its pods are allowed through NetworkPolicies). */
export const INGRESS_CONTROLLER_NAMESPACE: Record<IngressControllerSpec['controller'], string | undefined> = {
  traefik: 'traefik',
  nginx: 'ingress-nginx',
  // The ALB sends traffic straight to pod IPs from the VPC, not from a namespace.
  alb: undefined,
  istio: 'istio-system',
};

export function clusterContext(cluster: ClusterSpec): ClusterContext {
  return {
    name: cluster.name,
    provider: cluster.provider,
    ingress: {
      controller: cluster.ingress.controller,
      className: cluster.ingress.className ?? cluster.ingress.controller,
      externalDns: cluster.ingress.externalDns ?? cluster.ingress.controller === 'alb',
      certificateArn: cluster.ingress.certificateArn,
    },
    mesh: cluster.mesh ?? 'none',
    progressive: cluster.progressiveDelivery
      ? { engine: cluster.progressiveDelivery.engine, provider: flaggerProvider(cluster), metricsServer: metricsServer(cluster) }
      : undefined,
  };
}
