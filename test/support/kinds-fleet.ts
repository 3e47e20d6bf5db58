import type { FleetSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';
import { miniFleet } from './fleet-fixtures';

/**
 * A test fleet with one service of every workload kind, each with a per-environment tag (the
 * `images:` transformer), replicas where the kind has them (the `replicas:` transformer) and
 * an env override (a computed patch), on a cluster with Istio (mesh pod labels, native sidecars
 * for Jobs). The migration Job runs before `web`, which has its own apply group.
 */
export function kindsFleet(): FleetSpec {
  const base = miniFleet();
  const system = base.systems[0];
  const services: ServiceSpec[] = [
    { ...system.services[0], applyGroup: 'frontend', ingress: undefined },
    { name: 'db', image: 'example/db', ports: [{ name: 'sql', port: 5432, protocol: 'tcp' }], replicas: 1, workload: { kind: 'StatefulSet', volumeClaims: [{ name: 'data', mountPath: '/var/lib/db', size: '10Gi', storageClassName: 'gp3' }] } },
    { name: 'migrate', image: 'example/migrate', args: ['up'], workload: { kind: 'Job', runBefore: ['web'], activeDeadlineSeconds: 1200 } },
    { name: 'nightly', image: 'example/nightly', workload: { kind: 'CronJob', schedule: '0 3 * * *', timeZone: 'Europe/Berlin' } },
    { name: 'agent', image: 'example/agent', ports: [{ name: 'metrics', port: 9100 }], workload: { kind: 'DaemonSet' } },
  ];
  const env = (tag: string) => ({ tag, env: { LOG_LEVEL: 'debug' } });
  return {
    ...base,
    systems: [
      {
        ...system,
        services,
        environments: [
          {
            ...system.environments[0],
            services: { web: env('1.0.0'), db: { ...env('16.4'), replicas: 3 }, migrate: env('2.0.0'), nightly: env('0.3.0'), agent: env('3.1.9') },
          },
        ],
      },
    ],
    clusters: [{ ...base.clusters[0], provider: 'gke', aws: undefined, mesh: 'istio', ingress: { controller: 'istio' }, services: services.map((s) => s.name) }],
  };
}
