import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import type { ClusterContext } from '../microservice/cluster-context';
import { podTemplate } from '../microservice/pod-template';
import { KubeCronJobWithExtras } from './kube-with-extras';
import { taskPodTemplate, workloadMetadata } from './workload-metadata';

export interface ServiceCronJobProps {
  readonly service: ResolvedService;
  /** Cron expression or macro, e.g. `0 3 * * *`. */
  readonly schedule: string;
  /** @default - the controller manager's time zone */
  readonly timeZone?: string;
  /** @default 'Forbid' */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
  /** Failed pods before one run fails. @default 3 */
  readonly backoffLimit?: number;
  /** Time limit of one run in seconds. @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** @default 'Never' */
  readonly restartPolicy?: 'Never' | 'OnFailure';
  /** @default - the environment-neutral base */
  readonly cluster?: ClusterContext;
}

/**
 * A CronJob running a service's pod on a schedule, e.g. a nightly export. Unlike a Job, its
 * job template may be updated in place (the next run uses it), so it needs no force apply.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
export class ServiceCronJob extends Construct {
  readonly resource: k8s.KubeCronJob;

  constructor(scope: Construct, id: string, props: ServiceCronJobProps) {
    super(scope, id);
    const { service } = props;
    this.resource = new KubeCronJobWithExtras(this, 'Resource', service, {
      metadata: workloadMetadata(service),
      spec: {
        schedule: props.schedule,
        timeZone: props.timeZone,
        concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 3,
        jobTemplate: {
          spec: {
            backoffLimit: props.backoffLimit ?? 3,
            activeDeadlineSeconds: props.activeDeadlineSeconds ?? 600,
            template: taskPodTemplate(podTemplate(service, props.cluster), props.restartPolicy ?? 'Never', props.cluster),
          },
        },
      },
    });
  }
}
