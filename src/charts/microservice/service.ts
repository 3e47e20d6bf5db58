import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { exposedPort, type ResolvedExposedPort } from '../../model/resolve-exposure';
import type { PortProtocol } from '../../model/service';
import type { ServiceType } from '../../model/service-exposure';
import { selectorLabels, serviceLabels } from '../labels';
import { sortedRecord } from './pod-template';

export interface ServicePortsProps {
  readonly service: ResolvedService;
  /** @default - the service name */
  readonly name?: string;
  /** e.g. Linkerd's retry and timeout annotations, read from the Service callers address. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** @default - the service's `serviceType` */
  readonly type?: ServiceType;
  /** @default - every declared port on its `servicePort` */
  readonly ports?: readonly ResolvedExposedPort[];
  /** LoadBalancer only. @default - any source */
  readonly loadBalancerSourceRanges?: readonly string[];
}

/** appProtocol lets meshes and ingress controllers speak the right protocol without guessing. */
const APP_PROTOCOL: Record<PortProtocol, string> = { http: 'http', grpc: 'grpc', tcp: 'tcp' };

/**
 * A Service in front of a service's pods (the main `<name>` or one of `additionalServices`),
 * one port per exposed port. A named container port is targeted by name, so renumbering it
 * needs no Service change; an unnamed one by number. `headless` renders `clusterIP: None`.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 */
export class ServicePorts extends Construct {
  readonly resource: k8s.KubeService;

  constructor(scope: Construct, id: string, props: ServicePortsProps) {
    super(scope, id);
    const { service } = props;
    const type = props.type ?? service.serviceType;
    const ports = props.ports ?? service.ports.map((port) => exposedPort(port));
    this.resource = new k8s.KubeService(this, 'Resource', {
      metadata: {
        name: props.name ?? service.name,
        namespace: service.namespace,
        labels: serviceLabels(service.name, service.system, service.labels),
        annotations: props.annotations && Object.keys(props.annotations).length > 0 ? sortedRecord({ ...props.annotations }) : undefined,
      },
      spec: {
        type: type === 'headless' ? 'ClusterIP' : type,
        clusterIp: type === 'headless' ? 'None' : undefined,
        selector: selectorLabels(service.name),
        loadBalancerSourceRanges: props.loadBalancerSourceRanges ? [...props.loadBalancerSourceRanges] : undefined,
        ports: ports.map((port) => ({
          name: port.name,
          port: port.servicePort,
          targetPort: typeof port.targetPort === 'number' ? k8s.IntOrString.fromNumber(port.targetPort) : k8s.IntOrString.fromString(port.targetPort),
          nodePort: port.nodePort,
          protocol: 'TCP',
          appProtocol: APP_PROTOCOL[port.protocol],
        })),
      },
    });
  }
}
