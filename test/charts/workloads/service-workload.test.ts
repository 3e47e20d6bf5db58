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

  // Integration with the workload API (pod-template.ts): every kind renders the same pod extras
  // and selects the pods like the Deployment does.
  const sidecar = { name: 'proxy', image: 'example/proxy:1.0', sidecar: true } as const;
  const templateOf = (object: Record<string, any>) => (object.kind === 'CronJob' ? object.spec.jobTemplate.spec.template : object.spec.template);

  it.each([['StatefulSet'], ['Job'], ['CronJob'], ['DaemonSet']] as const)('a %s keeps a native sidecar (restartPolicy: Always)', (kind) => {
    // GIVEN a native sidecar (a Kubernetes 1.29 field cdk8s-plus-27's types drop)
    const workload = (kind === 'CronJob' ? { kind, schedule: '@daily' } : { kind }) as WorkloadSpec;
    const objects = render({ workload, initContainers: [sidecar], ports: kind === 'Job' || kind === 'CronJob' ? [] : undefined });
    // THEN the rendered pod template still says so
    const rendered = templateOf(objects.find((o) => o.kind === kind) as Record<string, any>);
    expect(rendered.spec.initContainers[0]).toMatchObject({ name: 'proxy', restartPolicy: 'Always' });
  });

  it.each([['StatefulSet'], ['DaemonSet']] as const)('a %s selects with the adopted existingSelector', (kind) => {
    const objects = render({ workload: { kind }, existingSelector: { app: 'web' } });
    const workload = objects.find((o) => o.kind === kind) as Record<string, any>;
    expect(workload.spec.selector).toEqual({ matchLabels: { app: 'web' } });
    expect(workload.spec.template.metadata.labels).toMatchObject({ app: 'web' });
  });

  it('the headless governing Service targets an unnamed port by number', () => {
    const objects = render({ workload: { kind: 'StatefulSet' }, ports: [{ port: 6379, protocol: 'tcp' }] });
    const headless = objects.find((o) => o.kind === 'Service' && o.metadata?.name === 'web-headless') as Record<string, any>;
    expect(headless.spec.ports).toEqual([expect.objectContaining({ port: 6379, targetPort: 6379 })]);
  });
});
