import { Construct } from 'constructs';
import type { ResolvedService } from '../../model/resolve';
import type { ClusterContext } from '../microservice/cluster-context';
import { ServiceDeployment } from '../microservice/deployment';
import { ServiceCronJob } from './cron-job';
import { ServiceDaemonSet } from './daemon-set';
import { HeadlessService, headlessServiceName } from './headless-service';
import { ServiceJob } from './job';
import { ServiceStatefulSet } from './stateful-set';

export interface ServiceWorkloadProps {
  readonly service: ResolvedService;
  /** @default - the environment-neutral base */
  readonly cluster?: ClusterContext;
  /** Leave `spec.replicas` out: Flagger, Argo Rollouts or an HPA owns it. @default false */
  readonly omitReplicas?: boolean;
}

/**
 * The workload of a service, of the kind its model says (`service.workload.kind`): Deployment,
 * StatefulSet (with its headless governing Service), Job, CronJob or DaemonSet. Every kind runs
 * the same pod template (src/charts/microservice/pod-template.ts).
 */
export class ServiceWorkload extends Construct {
  constructor(scope: Construct, id: string, props: ServiceWorkloadProps) {
    super(scope, id);
    const { service, cluster } = props;
    const workload = service.workload;
    switch (workload.kind) {
      case 'Deployment':
        new ServiceDeployment(this, 'Deployment', { service, cluster, omitReplicas: props.omitReplicas });
        return;
      case 'StatefulSet': {
        const governing = new HeadlessService(this, 'Headless', { service, name: headlessServiceName(service.name) });
        new ServiceStatefulSet(this, 'StatefulSet', {
          service,
          cluster,
          omitReplicas: props.omitReplicas,
          governingService: governing.resource.name,
          volumeClaims: workload.volumeClaims,
          podManagementPolicy: workload.podManagementPolicy,
        });
        return;
      }
      case 'Job':
        new ServiceJob(this, 'Job', { service, cluster, backoffLimit: workload.backoffLimit, activeDeadlineSeconds: workload.activeDeadlineSeconds, restartPolicy: workload.restartPolicy });
        return;
      case 'CronJob':
        new ServiceCronJob(this, 'CronJob', {
          service,
          cluster,
          schedule: workload.schedule,
          timeZone: workload.timeZone,
          concurrencyPolicy: workload.concurrencyPolicy,
          successfulJobsHistoryLimit: workload.successfulJobsHistoryLimit,
          failedJobsHistoryLimit: workload.failedJobsHistoryLimit,
          backoffLimit: workload.backoffLimit,
          activeDeadlineSeconds: workload.activeDeadlineSeconds,
          restartPolicy: workload.restartPolicy,
        });
        return;
      case 'DaemonSet':
        new ServiceDaemonSet(this, 'DaemonSet', { service, cluster, tolerations: workload.tolerations });
        return;
    }
  }
}
