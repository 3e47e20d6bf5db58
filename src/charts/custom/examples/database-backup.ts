import { k8s } from 'cdk8s-plus-27';
import type { ChartFunction } from '../../../model/custom-chart';

/** Values of the database backup chart. */
export interface DatabaseBackupValues {
  /** Backup tool image with an exact tag, e.g. `'ghcr.io/example-org/pg-backup:2.4.1'`. */
  readonly image: string;
  /** Cron schedule. */
  readonly schedule: string;
  /** Where dumps go, e.g. `'gs://webshop-backups/catalog'`. */
  readonly destination: string;
  /** Secret holding the database password (key `password`). */
  readonly passwordSecret: string;
  /** Turn backups off without removing the chart (e.g. while restoring). @default false */
  readonly suspend?: boolean;
}

/**
 * Example user chart attached to a service: a nightly dump of a StatefulSet's database with a
 * third-party image. It must pass the same policy as generated pods (non-root, read-only root
 * filesystem, no capabilities, resources, pinned image), so it sets them itself.
 */
export const databaseBackup: ChartFunction<DatabaseBackupValues> = (scope, { name, labels, values }) => {
  new k8s.KubeCronJob(scope, 'Backup', {
    metadata: { name: `${name}-backup`, labels: { ...labels } },
    spec: {
      schedule: values.schedule,
      suspend: values.suspend ?? false,
      concurrencyPolicy: 'Forbid',
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            metadata: { labels: { 'app.kubernetes.io/name': `${name}-backup` } },
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
              containers: [
                {
                  name: 'backup',
                  image: values.image,
                  args: ['--host', `${name}-0.${name}-headless`, '--to', values.destination],
                  env: [{ name: 'PGPASSWORD', valueFrom: { secretKeyRef: { name: values.passwordSecret, key: 'password' } } }],
                  resources: {
                    requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('128Mi') },
                    limits: { memory: k8s.Quantity.fromString('256Mi') },
                  },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: {} }],
            },
          },
        },
      },
    },
  });
};
