import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { DEFINITION_ANNOTATION, serviceLabels } from '../labels';
import type { ClusterContext } from './cluster-context';
import { podTemplate, withPodTemplateExtras } from './pod-template';

export interface ServiceDeploymentProps {
  readonly service: ResolvedService;
  /** @default - the environment-neutral base (no mesh labels) */
  readonly cluster?: ClusterContext;
  /**
   * Leave `spec.replicas` out even without an HPA: Flagger (or another controller) owns it.
   * @default false
   */
  readonly omitReplicas?: boolean;
}

/**
 * The Deployment of a service: its container (plus init containers and sidecars), secure by
 * default, selected by the single plain label `app.kubernetes.io/name` (immutable, so it never
 * depends on construct paths) — or, for an adopted Deployment, by its `existingSelector`.
 * `spec.replicas` is omitted when an HPA owns the count, so Flux does not fight the autoscaler.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 */
export class ServiceDeployment extends Construct {
  readonly resource: k8s.KubeDeployment;

  constructor(scope: Construct, id: string, props: ServiceDeploymentProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new KubeDeploymentWithExtras(this, 'Resource', service, {
      metadata: {
        name: service.name,
        namespace: service.namespace,
        labels: serviceLabels(service.name, service.system, service.labels),
        annotations: { ...service.annotations, [DEFINITION_ANNOTATION]: service.definition },
      },
      spec: {
        replicas: props.omitReplicas ? undefined : service.replicas,
        selector: { matchLabels: { ...service.selector } },
        template: podTemplate(service, props.cluster),
      },
    });
  }
}

/** A KubeDeployment whose JSON carries the pod fields newer than cdk8s-plus-27's types. */
class KubeDeploymentWithExtras extends k8s.KubeDeployment {
  constructor(scope: Construct, id: string, private readonly service: ResolvedService, props: k8s.KubeDeploymentProps) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withPodTemplateExtras(super.toJson() as Record<string, unknown>, this.service);
  }
}
