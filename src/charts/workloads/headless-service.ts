import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { exposedPort } from '../../model/resolve-exposure';
import { selectorLabels, serviceLabels } from '../labels';

export interface HeadlessServiceProps {
  readonly service: ResolvedService;
  /** @default - `<service>-headless` */
  readonly name?: string;
}

/** Name of the governing Service of a StatefulSet. */
export function headlessServiceName(service: string): string {
  return `${service}-headless`;
}

/**
 * The headless Service (`clusterIP: None`) that governs a StatefulSet: each pod gets the DNS
 * name `<pod>.<service>-headless.<namespace>.svc`. Not-ready pods are published too, so peers
 * of a clustered database can find each other while they start.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#headless-services
 */
export class HeadlessService extends Construct {
  readonly resource: k8s.KubeService;

  constructor(scope: Construct, id: string, props: HeadlessServiceProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new k8s.KubeService(this, 'Resource', {
      metadata: { name: props.name ?? headlessServiceName(service.name), namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: selectorLabels(service.name),
        ports:
          service.ports.length > 0
            ? service.ports.map((p) => exposedPort(p)).map((port) => ({
                name: port.name,
                port: port.servicePort,
                // Like the main Service: a named container port by name, an unnamed one by number.
                targetPort: typeof port.targetPort === 'number' ? k8s.IntOrString.fromNumber(port.targetPort) : k8s.IntOrString.fromString(port.targetPort),
                protocol: 'TCP',
              }))
            : undefined,
      },
    });
  }
}
