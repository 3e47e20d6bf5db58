import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import type { DaemonSetWorkload } from '../../model/workload';
import type { ClusterContext } from '../microservice/cluster-context';
import { podTemplate } from '../microservice/pod-template';
import { KubeDaemonSetWithExtras } from './kube-with-extras';
import { workloadMetadata } from './workload-metadata';

export interface ServiceDaemonSetProps {
  readonly service: ResolvedService;
  /** Taints the pods tolerate (e.g. to run on control-plane nodes too). @default - none */
  readonly tolerations?: DaemonSetWorkload['tolerations'];
  /** @default - the environment-neutral base */
  readonly cluster?: ClusterContext;
}

/**
 * A DaemonSet running a service's pod once on every node, e.g. a log or metrics agent. It has
 * no replica count; rolling updates replace one node's pod at a time (the API default).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
 */
export class ServiceDaemonSet extends Construct {
  readonly resource: k8s.KubeDaemonSet;

  constructor(scope: Construct, id: string, props: ServiceDaemonSetProps) {
    super(scope, id);
    const { service } = props;
    const template = podTemplate(service, props.cluster);
    const tolerations = props.tolerations && props.tolerations.length > 0 ? props.tolerations.map((t) => ({ ...t })) : undefined;
    this.resource = new KubeDaemonSetWithExtras(this, 'Resource', service, {
      metadata: workloadMetadata(service),
      spec: {
        selector: { matchLabels: { ...service.selector } },
        template: tolerations && template.spec ? { ...template, spec: { ...template.spec, tolerations } } : template,
      },
    });
  }
}
