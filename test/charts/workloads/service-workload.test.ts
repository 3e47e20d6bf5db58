import { Microservice } from '../../../src/charts/microservice/microservice';
import { resolveService } from '../../../src/model/resolve';
import type { ServiceSpec } from '../../../src/model/service';
import type { WorkloadSpec } from '../../../src/model/workload';
import { synthObjects } from '../../../src/render/synth-objects';
import { miniFleet } from '../../support/fleet-fixtures';

function render(service: Partial<ServiceSpec> & { workload: WorkloadSpec }) {
  const fleet = miniFleet({ service: { ingress: undefined, ...service } });
  const system = fleet.systems[0];
  const resolved = resolveService(fleet, system, system.services[0]);
  return synthObjects((scope) => new Microservice(scope, 'web', { service: resolved }));
}

const kinds = (objects: ReturnType<typeof render>) => objects.map((o) => o.kind);

describe('the workload of a service, by kind', () => {
  it('a StatefulSet: headless governing Service first, the ClusterIP Service, an HPA targeting the StatefulSet and a PDB', () => {
    // GIVEN an autoscaled StatefulSet
    const objects = render({ workload: { kind: 'StatefulSet' }, autoscaling: { minReplicas: 2, maxReplicas: 4 } });
    // THEN the HPA targets it by kind (an HPA on a missing Deployment would be dangling)
    expect(kinds(objects)).toEqual(['ServiceAccount', 'Service', 'StatefulSet', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy']);
    expect(objects.find((o) => o.kind === 'HorizontalPodAutoscaler')?.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' } });
    expect((objects.find((o) => o.kind === 'StatefulSet') as any).spec.replicas).toBeUndefined();
  });

  it('a Job, CronJob or DaemonSet has no replicas, HPA or PDB, even when the defaults would give a Deployment two', () => {
    for (const workload of [{ kind: 'Job' }, { kind: 'CronJob', schedule: '@daily' }, { kind: 'DaemonSet' }] as const) {
      const objects = render({ workload, ports: workload.kind === 'DaemonSet' ? [{ name: 'http', port: 8080 }] : [] });
      expect(kinds(objects)).not.toEqual(expect.arrayContaining(['HorizontalPodAutoscaler']));
      expect(kinds(objects)).not.toContain('PodDisruptionBudget');
      expect(kinds(objects)).toContain(workload.kind);
      expect(objects.map((o) => (o.spec as { replicas?: number } | undefined)?.replicas).filter((r) => r !== undefined)).toEqual([]);
    }
  });

  it.each([
    ['StatefulSet', { kind: 'StatefulSet', volumeClaims: [{ name: 'data', mountPath: '/data', size: '1Gi' }], podManagementPolicy: 'Parallel' }],
    ['Job', { kind: 'Job', backoffLimit: 1, restartPolicy: 'OnFailure' }],
    ['CronJob', { kind: 'CronJob', schedule: '0 3 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Replace' }],
    ['DaemonSet', { kind: 'DaemonSet', tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] }],
  ] as const)('renders a %s (snapshot)', (_kind, workload) => {
    const ports = workload.kind === 'Job' || workload.kind === 'CronJob' ? [] : undefined;
    expect(render({ workload, ...(ports ? { ports } : {}) }).filter((o) => o.kind === workload.kind)).toMatchSnapshot();
  });
});
