/**
 * Which Kubernetes workload runs a service's pods. The pod (containers, probes, security,
 * volumes) is the same for every kind; the kind decides the controller around it and which of
 * the service's other objects make sense (a Job has no replica count, no PodDisruptionBudget and
 * no traffic to canary).
 */

/** A ReplicaSet-managed set of interchangeable pods. The default. */
export interface DeploymentWorkload {
  readonly kind: 'Deployment';
}

/** A PersistentVolumeClaim created per pod from a template, mounted into the main container. */
export interface VolumeClaimSpec {
  /** Claim (and volume) name, a DNS-1123 label, e.g. `data`. The PVC of pod 0 is `<name>-<service>-0`. */
  readonly name: string;
  /** Where the main container mounts it, e.g. `/var/lib/postgresql/data`. */
  readonly mountPath: string;
  /** Requested storage, a Kubernetes quantity such as `10Gi`. */
  readonly size: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClassName?: string;
  /** @default ['ReadWriteOnce'] */
  readonly accessModes?: readonly ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
}

/**
 * Pods with stable names and their own storage (`<service>-0`, `<service>-1`, …), addressed
 * through a headless governing Service `<service>-headless` (`<service>-0.<service>-headless`).
 * The ordinary ClusterIP Service `<service>` is still rendered when the service has ports.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export interface StatefulSetWorkload {
  readonly kind: 'StatefulSet';
  /** @default - none (a StatefulSet with stable names only) */
  readonly volumeClaims?: readonly VolumeClaimSpec[];
  /** @default 'OrderedReady' */
  readonly podManagementPolicy?: 'OrderedReady' | 'Parallel';
}

/** How many times and how long a Job (or each run of a CronJob) may try. */
export interface JobRunSpec {
  /** Failed pods before the Job is marked failed. @default 3 */
  readonly backoffLimit?: number;
  /** Time limit of the whole Job in seconds. @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** @default 'Never' (a failed pod is kept for its logs; the Job starts a new one) */
  readonly restartPolicy?: 'Never' | 'OnFailure';
}

/**
 * A task that runs to completion once per version, e.g. a database migration.
 *
 * A Job's pod template is immutable: kustomize-controller cannot update it in place. The Job
 * carries `kustomize.toolkit.fluxcd.io/force: enabled`, so when its image (or anything else)
 * changes, Flux deletes and recreates it, which runs it again (per-object force,
 * fluxcd/kustomize-controller#787 → fluxcd/pkg ssa `force` annotation). No
 * `ttlSecondsAfterFinished`: a Job the TTL controller deletes is re-created by Flux's next
 * reconcile and runs again.
 *
 * @see https://fluxcd.io/flux/use-cases/running-jobs/
 */
export interface JobWorkload extends JobRunSpec {
  readonly kind: 'Job';
  /**
   * Services whose rollout waits until this Job has completed (on every cluster running both).
   * Flux orders Kustomizations, not objects: the Job must be applied by another unit than those
   * services (give it or them an `applyGroup`); their Flux Kustomization then `dependsOn` the
   * Job's, which waits (`wait: true`) until the Job is Complete.
   * @default - none
   */
  readonly runBefore?: readonly string[];
}

/**
 * A Job started on a schedule, e.g. a nightly export.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
export interface CronJobWorkload extends JobRunSpec {
  readonly kind: 'CronJob';
  /** Cron expression, five fields (`0 3 * * *`), or a macro such as `@daily`. */
  readonly schedule: string;
  /** IANA time zone of the schedule, e.g. `Europe/Berlin`. @default - the controller manager's (usually UTC) */
  readonly timeZone?: string;
  /** @default 'Forbid' (a slow run is never overlapped by the next) */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /** @default 3 */
  readonly successfulJobsHistoryLimit?: number;
  /** @default 3 */
  readonly failedJobsHistoryLimit?: number;
}

/**
 * One pod per node, e.g. a log or metrics agent. No replica count, no autoscaling, no
 * PodDisruptionBudget (node drains evict DaemonSet pods last, and a new node starts its own).
 *
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
 */
export interface DaemonSetWorkload {
  readonly kind: 'DaemonSet';
  /** Also run on nodes with these taints, e.g. control-plane nodes. @default - none */
  readonly tolerations?: readonly { readonly key: string; readonly operator?: 'Exists' | 'Equal'; readonly value?: string; readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute' }[];
}

export type WorkloadSpec = DeploymentWorkload | StatefulSetWorkload | JobWorkload | CronJobWorkload | DaemonSetWorkload;
export type WorkloadKind = WorkloadSpec['kind'];

export const DEFAULT_BACKOFF_LIMIT = 3;
export const DEFAULT_ACTIVE_DEADLINE_SECONDS = 600;
export const DEFAULT_JOBS_HISTORY_LIMIT = 3;

/** The workload with every default filled in (what charts read). */
export type ResolvedWorkload =
  | DeploymentWorkload
  | (StatefulSetWorkload & { readonly volumeClaims: readonly VolumeClaimSpec[]; readonly podManagementPolicy: 'OrderedReady' | 'Parallel' })
  | (JobWorkload & Required<JobRunSpec> & { readonly runBefore: readonly string[] })
  | (CronJobWorkload & Required<JobRunSpec> & Required<Pick<CronJobWorkload, 'concurrencyPolicy' | 'successfulJobsHistoryLimit' | 'failedJobsHistoryLimit'>>)
  | DaemonSetWorkload;

function resolveRun(spec: JobRunSpec): Required<JobRunSpec> {
  return {
    backoffLimit: spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT,
    activeDeadlineSeconds: spec.activeDeadlineSeconds ?? DEFAULT_ACTIVE_DEADLINE_SECONDS,
    restartPolicy: spec.restartPolicy ?? 'Never',
  };
}

export function resolveWorkload(spec: WorkloadSpec | undefined): ResolvedWorkload {
  switch (spec?.kind) {
    case undefined:
    case 'Deployment':
      return { kind: 'Deployment' };
    case 'StatefulSet':
      return { ...spec, volumeClaims: spec.volumeClaims ?? [], podManagementPolicy: spec.podManagementPolicy ?? 'OrderedReady' };
    case 'Job':
      return { ...spec, ...resolveRun(spec), runBefore: spec.runBefore ?? [] };
    case 'CronJob':
      return {
        ...spec,
        ...resolveRun(spec),
        concurrencyPolicy: spec.concurrencyPolicy ?? 'Forbid',
        successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? DEFAULT_JOBS_HISTORY_LIMIT,
        failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? DEFAULT_JOBS_HISTORY_LIMIT,
      };
    case 'DaemonSet':
      return spec;
  }
}

/** Kinds that run to completion: no Service, replicas, autoscaling, disruption budget or canary. */
export function runsToCompletion(kind: WorkloadKind): boolean {
  return kind === 'Job' || kind === 'CronJob';
}

/** Kinds with `spec.replicas` (and so an HPA target and a PodDisruptionBudget). */
export function hasReplicas(kind: WorkloadKind): boolean {
  return kind === 'Deployment' || kind === 'StatefulSet';
}

/** The Kubernetes apiVersion of a workload kind (HPA scale targets, Flux health checks). */
export function workloadApiVersion(kind: WorkloadKind): string {
  return runsToCompletion(kind) ? 'batch/v1' : 'apps/v1';
}
