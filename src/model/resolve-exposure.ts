import type { ResolvedPort } from './resolve';
import { findPort } from './service-address';
import type { AdditionalServiceSpec, ServiceType } from './service-exposure';

/** One port of an additional Service, with its target on the pod. */
export interface ResolvedExposedPort {
  readonly name?: string;
  readonly servicePort: number;
  /** The container port's name, or its number when unnamed. */
  readonly targetPort: string | number;
  /** Container port number (NetworkPolicies match pod ports). */
  readonly containerPort: number;
  readonly nodePort?: number;
  readonly protocol: ResolvedPort['protocol'];
}

export interface ResolvedAdditionalService {
  readonly name: string;
  readonly type: ServiceType;
  readonly ports: readonly ResolvedExposedPort[];
  readonly annotations: Readonly<Record<string, string>>;
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** The port as the main Service exposes it. */
export function exposedPort(port: ResolvedPort, servicePort = port.servicePort, nodePort?: number): ResolvedExposedPort {
  return { name: port.name, servicePort, targetPort: port.name ?? port.port, containerPort: port.port, nodePort, protocol: port.protocol };
}

/** Additional Services with their ports resolved; a port that is not declared is a model error and left out. */
export function resolveAdditionalServices(specs: readonly AdditionalServiceSpec[], ports: readonly ResolvedPort[]): ResolvedAdditionalService[] {
  return specs.map((spec) => ({
    name: spec.name,
    type: spec.type ?? 'ClusterIP',
    ports: spec.ports
      ? spec.ports.flatMap((exposure) => {
          const port = findPort(ports, exposure.port);
          return port ? [exposedPort(port, exposure.servicePort ?? port.servicePort, exposure.nodePort)] : [];
        })
      : ports.map((port) => exposedPort(port)),
    annotations: spec.annotations ?? {},
    loadBalancerSourceRanges: spec.loadBalancerSourceRanges,
  }));
}
