import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';

export interface ServiceConfigProps {
  readonly service: ResolvedService;
  /** ConfigMap name, e.g. `<service>-config`. */
  readonly name: string;
  /** Key → value, rendered in sorted key order. */
  readonly data: Readonly<Record<string, string>>;
}

/**
 * Non-secret configuration of a service: either environment variables (`<service>-config`,
 * injected with envFrom) or mounted files (`<service>-files`). Secrets never go here.
 *
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export class ServiceConfig extends Construct {
  readonly resource: k8s.KubeConfigMap;

  constructor(scope: Construct, id: string, props: ServiceConfigProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: service.namespace,
        labels: serviceLabels(service.name, service.system, service.labels),
      },
      data: Object.fromEntries(Object.keys(props.data).sort().map((key) => [key, props.data[key]])),
    });
  }
}
