import { checkFleet } from '../../src/model/check-model';
import type { FleetSpec } from '../../src/model/fleet';
import type { ServiceSpec } from '../../src/model/service';
import { miniFleet } from '../support/fleet-fixtures';

const migrate: ServiceSpec = { name: 'migrate', image: 'example/migrate', workload: { kind: 'Job', runBefore: ['web'] } };

function fleetWith(services: ServiceSpec[], overrides: Record<string, object> = {}, groups: Record<string, string> = {}): FleetSpec {
  const base = miniFleet();
  const system = base.systems[0];
  const all = services.map((s) => (groups[s.name] ? { ...s, applyGroup: groups[s.name] } : s));
  return {
    ...base,
    systems: [{ ...system, services: all, environments: [{ ...system.environments[0], services: { ...Object.fromEntries(all.map((s) => [s.name, { tag: '1.0.0' }])), ...overrides } }] }],
    clusters: [{ ...base.clusters[0], services: all.map((s) => s.name) }],
  };
}

const web = miniFleet().systems[0].services[0];
const codes = (fleet: FleetSpec) => checkFleet(fleet).map((p) => `${p.code} ${p.place.field}`);

describe('workload model checks', () => {
  it('accepts every kind with the fields it honours', () => {
    // GIVEN one service of each kind, the Job in its own group so that web can wait for it
    const fleet = fleetWith(
      [
        web,
        { ...migrate },
        { name: 'db', image: 'example/db', ports: [{ name: 'sql', port: 5432, protocol: 'tcp' }], workload: { kind: 'StatefulSet', volumeClaims: [{ name: 'data', mountPath: '/data', size: '10Gi' }] } },
        { name: 'nightly', image: 'example/nightly', workload: { kind: 'CronJob', schedule: '0 3 * * *' } },
        { name: 'agent', image: 'example/agent', ports: [{ name: 'metrics', port: 9100 }], workload: { kind: 'DaemonSet' } },
      ],
      {},
      { web: 'frontend' },
    );
    // THEN the model has no problem
    expect(checkFleet(fleet)).toEqual([]);
  });

  it('rejects a canary on a Job with a fix that says how to gate a rollout instead', () => {
    const problems = checkFleet(fleetWith([{ ...migrate, workload: { kind: 'Job' }, canary: { strategy: { kind: 'canary' } } } as ServiceSpec]));
    const canary = problems.find((p) => p.code === 'model/workload-canary');
    expect(canary?.message).toMatch(/runs to completion/);
    expect(canary?.fix).toMatch(/runBefore/);
  });

  it('rejects fields a kind cannot honour, in the service and in an environment override', () => {
    const agent: ServiceSpec = { name: 'agent', image: 'example/agent', workload: { kind: 'DaemonSet' }, replicas: 3, disruptionBudget: { maxUnavailable: 1 } };
    const job: ServiceSpec = { name: 'task', image: 'example/task', workload: { kind: 'Job' }, ports: [{ name: 'http', port: 8080 }], ingress: {} };
    expect(codes(fleetWith([agent, job], { agent: { tag: '1', autoscaling: { minReplicas: 2, maxReplicas: 4 } } }))).toEqual(
      expect.arrayContaining([
        'model/workload-replicas replicas',
        'model/workload-disruption-budget disruptionBudget',
        'model/workload-replicas services.agent.autoscaling',
        'model/workload-ports ports',
        'model/workload-ports ingress',
      ]),
    );
  });

  it('rejects a schedule that is not cron, a bad claim and a runBefore naming nothing', () => {
    const bad: ServiceSpec[] = [
      { name: 'nightly', image: 'example/nightly', workload: { kind: 'CronJob', schedule: 'every night' } },
      { name: 'db', image: 'example/db', workload: { kind: 'StatefulSet', volumeClaims: [{ name: 'Data', mountPath: 'data', size: '10 GB' }] } },
      { ...migrate, workload: { kind: 'Job', runBefore: ['nope'] } },
    ];
    expect(codes(fleetWith(bad))).toEqual(
      expect.arrayContaining([
        'model/invalid-schedule workload.schedule',
        'model/invalid-name workload.volumeClaims[0].name',
        'model/invalid-mount-path workload.volumeClaims[0].mountPath',
        'model/invalid-quantity workload.volumeClaims[0].size',
        'model/unknown-service workload.runBefore',
      ]),
    );
  });

  it('requires the Job and the services it precedes to be in different Flux units', () => {
    // GIVEN the Job and web in the namespace's own unit
    const problems = checkFleet(fleetWith([web, migrate]));
    // THEN Flux could not order them
    const same = problems.find((p) => p.code === 'model/run-before-same-unit');
    expect(same?.place).toMatchObject({ cluster: 'stage', service: 'migrate' });
    expect(same?.fix).toMatch(/applyGroup/);
  });

  it('rejects a Job in a group before a service of the namespace unit (the group waits for that unit)', () => {
    const problems = checkFleet(fleetWith([web, migrate], {}, { migrate: 'migrations' }));
    expect(problems.find((p) => p.code === 'model/run-before-cycle')?.message).toMatch(/apps-shop → apps-shop-migrations → apps-shop|apps-shop-migrations → apps-shop → apps-shop-migrations/);
  });
});
