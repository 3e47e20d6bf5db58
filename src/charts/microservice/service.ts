import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import type { PortProtocol } from '../../model/service';
import { selectorLabels, serviceLabels } from '../labels';
import { sortedRecord } from './pod-template';

export interface ServicePortsProps {
  readonly service: ResolvedService;
  /** @default - the service name */
  readonly name?: string;
  /** e.g. Linkerd's retry and timeout annotations, read from the Service callers address. @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** appProtocol lets meshes and ingress controllers speak the right protocol without guessing. */
const APP_PROTOCOL: Record<PortProtocol, string> = { http: 'http', grpc: 'grpc', tcp: 'tcp' };

/**
 * The ClusterIP Service in front of a service's pods, one port per declared port, targeting the
 * container port by name so a port renumbering needs no Service change.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 */
export class ServicePorts extends Construct {
  readonly resource: k8s.KubeService;

  constructor(scope: Construct, id: string, props: ServicePortsProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new k8s.KubeService(this, 'Resource', {
      metadata: {
        name: props.name ?? service.name,
        namespace: service.namespace,
        labels: serviceLabels(service.name, service.system, service.labels),
        annotations: props.annotations && Object.keys(props.annotations).length > 0 ? sortedRecord({ ...props.annotations }) : undefined,
      },
      spec: {
        type: 'ClusterIP',
        selector: selectorLabels(service.name),
        ports: service.ports.map((port) => ({
          name: port.name,
          port: port.port,
          targetPort: k8s.IntOrString.fromString(port.name),
          protocol: 'TCP',
          appProtocol: APP_PROTOCOL[port.protocol],
        })),
      },
    });
  }
}
