import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { AutoscalingSpec } from '../../model/service';
import type { ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';

export interface ServiceAutoscalerProps {
  readonly service: ResolvedService;
  readonly autoscaling: AutoscalingSpec;
  /**
   * Kind and name of the scaled workload. Flagger scales `<name>-primary` itself from an HPA
   * that targets the canary's Deployment, so this stays the service's Deployment.
   * @default - Deployment `<service>`
   */
  readonly target?: { readonly apiVersion: string; readonly kind: string; readonly name: string };
}

/** CPU is the target when nothing is said: it is what every workload has a request for. */
export const DEFAULT_CPU_UTILIZATION = 80;

/**
 * An autoscaling/v2 HorizontalPodAutoscaler on CPU and/or memory utilisation.
 *
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export class ServiceAutoscaler extends Construct {
  readonly resource: k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: ServiceAutoscalerProps) {
    super(scope, id);
    const { service, autoscaling } = props;
    const target = props.target ?? { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name };
    const cpu = autoscaling.cpuUtilization ?? (autoscaling.memoryUtilization === undefined ? DEFAULT_CPU_UTILIZATION : undefined);
    const metrics: k8s.MetricSpecV2[] = [];
    if (cpu !== undefined) metrics.push(resourceMetric('cpu', cpu));
    if (autoscaling.memoryUtilization !== undefined) metrics.push(resourceMetric('memory', autoscaling.memoryUtilization));
    this.resource = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        scaleTargetRef: target,
        minReplicas: autoscaling.minReplicas,
        maxReplicas: autoscaling.maxReplicas,
        metrics,
      },
    });
  }
}

function resourceMetric(name: 'cpu' | 'memory', utilization: number): k8s.MetricSpecV2 {
  return { type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: utilization } } };
}
