import type { ContainerPortRef } from './probe';

/**
 * How a service's ports are published as Kubernetes Services: the main Service `<name>` and any
 * number of additional ones (an internal ClusterIP and an external LoadBalancer, say).
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
 */

/** `headless` is a ClusterIP Service with `clusterIP: None` (DNS returns the pod IPs). */
export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'headless';

export interface ServicePortExposure {
  /** The declared port: its name or container port number. */
  readonly port: ContainerPortRef;
  /** Port of this Service. @default - the port's `servicePort` */
  readonly servicePort?: number;
  /** NodePort and LoadBalancer only. @default - allocated by Kubernetes */
  readonly nodePort?: number;
}

export interface AdditionalServiceSpec {
  /** Name of the Service object, e.g. `frontend-external`. */
  readonly name: string;
  /** @default 'ClusterIP' */
  readonly type?: ServiceType;
  /** @default - every declared port, on its `servicePort` */
  readonly ports?: readonly ServicePortExposure[];
  /** Annotations of this Service (e.g. a cloud load balancer's). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** LoadBalancer only: client CIDRs allowed. @default - any */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** Service types that take traffic from outside the cluster (their ports open the NetworkPolicy). */
export function isExternalServiceType(type: ServiceType): boolean {
  return type === 'NodePort' || type === 'LoadBalancer';
}
