import { k8s } from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import { withPodTemplateExtras } from '../microservice/pod-template';

/**
 * cdk8s-plus-27's workload classes whose JSON carries the pod fields newer than their Kubernetes
 * 1.27 types (native sidecars' `restartPolicy: Always`), like the Deployment's: each passes its
 * rendered JSON through `withPodTemplateExtras` with the path of its pod template.
 */
export class KubeStatefulSetWithExtras extends k8s.KubeStatefulSet {
  constructor(scope: Construct, id: string, private readonly service: ResolvedService, props: k8s.KubeStatefulSetProps) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withPodTemplateExtras(super.toJson() as Record<string, unknown>, this.service, ['spec', 'template']);
  }
}

export class KubeDaemonSetWithExtras extends k8s.KubeDaemonSet {
  constructor(scope: Construct, id: string, private readonly service: ResolvedService, props: k8s.KubeDaemonSetProps) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withPodTemplateExtras(super.toJson() as Record<string, unknown>, this.service, ['spec', 'template']);
  }
}

export class KubeJobWithExtras extends k8s.KubeJob {
  constructor(scope: Construct, id: string, private readonly service: ResolvedService, props: k8s.KubeJobProps) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withPodTemplateExtras(super.toJson() as Record<string, unknown>, this.service, ['spec', 'template']);
  }
}

export class KubeCronJobWithExtras extends k8s.KubeCronJob {
  constructor(scope: Construct, id: string, private readonly service: ResolvedService, props: k8s.KubeCronJobProps) {
    super(scope, id, props);
  }

  override toJson(): Record<string, unknown> {
    return withPodTemplateExtras(super.toJson() as Record<string, unknown>, this.service, ['spec', 'jobTemplate', 'spec', 'template']);
  }
}
