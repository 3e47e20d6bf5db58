import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import type { ClusterContext } from '../microservice/cluster-context';
import { podTemplate } from '../microservice/pod-template';
import { KubeJobWithExtras } from './kube-with-extras';
import { taskPodTemplate, workloadMetadata } from './workload-metadata';

/**
 * Per-object force apply of kustomize-controller: when an apply fails on an immutable field (a
 * Job's pod template), the object is deleted and re-created. Added in
 * fluxcd/kustomize-controller#787 (v0.33), implemented in fluxcd/pkg ssa (`force` annotation).
 */
export const FLUX_FORCE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/force';

export interface ServiceJobProps {
  readonly service: ResolvedService;
  /** Failed pods before the Job fails. @default 3 */
  readonly backoffLimit?: number;
  /** Time limit of the Job in seconds. @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** @default 'Never' */
  readonly restartPolicy?: 'Never' | 'OnFailure';
  /** @default - the environment-neutral base */
  readonly cluster?: ClusterContext;
}

/**
 * A Job running a service's pod to completion once per version, e.g. a database migration.
 * Its pod template is immutable, so it carries Flux's force annotation: a new version deletes
 * and re-creates it (running it again). It has no `ttlSecondsAfterFinished`, since Flux would
 * re-create (and so re-run) a Job the TTL controller deleted. The selector is left to the Job
 * controller (it generates a unique one).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 * @see https://fluxcd.io/flux/use-cases/running-jobs/
 */
export class ServiceJob extends Construct {
  readonly resource: k8s.KubeJob;

  constructor(scope: Construct, id: string, props: ServiceJobProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new KubeJobWithExtras(this, 'Resource', service, {
      metadata: workloadMetadata(service, { [FLUX_FORCE_ANNOTATION]: 'enabled' }),
      spec: {
        backoffLimit: props.backoffLimit ?? 3,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 600,
        template: taskPodTemplate(podTemplate(service, props.cluster), props.restartPolicy ?? 'Never', props.cluster),
      },
    });
  }
}
