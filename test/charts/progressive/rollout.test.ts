import { rolloutStepPauses, rolloutStepWeights, type CanarySpec, type CanaryStrategy } from '../../../src/model/canary';
import type { ClusterSpec } from '../../../src/model/cluster';
import { checkFleet } from '../../../src/model/check-model';
import type { FleetSpec } from '../../../src/model/fleet';
import { miniFleet } from '../../support/fleet-fixtures';
import { renderOk } from '../../support/render-to-dir';

/** Service web with `canary` on cluster stage, which runs Argo Rollouts (or `cluster` overrides). */
function rolloutFleet(canary: CanarySpec, cluster: Partial<ClusterSpec> = {}): FleetSpec {
  return miniFleet({ service: { canary, replicas: 3 }, cluster: { progressiveDelivery: { engine: 'argo-rollouts' }, ...cluster } });
}

function rolloutOf(fleet: FleetSpec): any {
  return renderOk(fleet).clusters[0].objects.find((o) => o.kind === 'Rollout');
}

const canary = (strategy: Partial<CanaryStrategy>, rest: Omit<CanarySpec, 'strategy'> = {}): CanarySpec => ({ strategy: { kind: 'canary', ...strategy }, ...rest });

const problems = (fleet: FleetSpec, code: string) => checkFleet(fleet).filter((p) => p.code === code);

describe('Argo Rollouts canary fields', () => {
  it('renders one pause per step (seed 002: 30s/30s/30s/20s after 20/40/60/80)', () => {
    // GIVEN per-step pauses WHEN rendered THEN each setWeight is followed by its own pause
    const rollout = rolloutOf(rolloutFleet(canary({ stepWeights: [20, 40, 60, 80], pauses: ['30s', '30s', '30s', '20s'] })));
    expect(rollout.spec.strategy.canary.steps).toEqual([
      { setWeight: 20 },
      { pause: { duration: '30s' } },
      { setWeight: 40 },
      { pause: { duration: '30s' } },
      { setWeight: 60 },
      { pause: { duration: '30s' } },
      { setWeight: 80 },
      { pause: { duration: '20s' } },
    ]);
  });

  it('falls back to `pause`, then the interval, then 1m for every step', () => {
    expect(rolloutStepPauses({}, { kind: 'canary', stepWeights: [50] })).toEqual(['1m']);
    expect(rolloutStepPauses({ interval: '45s' }, { kind: 'canary', stepWeights: [10, 20] })).toEqual(['45s', '45s']);
    expect(rolloutStepPauses({ interval: '45s' }, { kind: 'canary', stepWeights: [10, 20], pause: '2m' })).toEqual(['2m', '2m']);
    expect(rolloutStepWeights({ kind: 'canary' })).toEqual([20, 40, 60, 80]);
    expect(rolloutStepWeights({ kind: 'canary', stepWeight: 25, maxWeight: 75 })).toEqual([25, 50, 75]);
  });

  it('renders maxSurge, maxUnavailable (count or percentage) and revisionHistoryLimit only when declared', () => {
    const declared = rolloutOf(rolloutFleet(canary({ maxSurge: '50%', maxUnavailable: 0 }, { revisionHistoryLimit: 2 })));
    expect(declared.spec.strategy.canary).toMatchObject({ maxSurge: '50%', maxUnavailable: 0 });
    expect(declared.spec.revisionHistoryLimit).toBe(2);
    const counts = rolloutOf(rolloutFleet(canary({ maxSurge: 1, maxUnavailable: '10%' })));
    expect(counts.spec.strategy.canary).toMatchObject({ maxSurge: 1, maxUnavailable: '10%' });
    // Undeclared: the controller's defaults (25%, 25%, 10) apply, so nothing is rendered.
    const plain = rolloutOf(rolloutFleet(canary({})));
    expect(Object.keys(plain.spec.strategy.canary)).toEqual(['steps']);
    expect(plain.spec.revisionHistoryLimit).toBeUndefined();
  });
});

describe('Argo Rollouts canary checks', () => {
  it('accepts the seed 002 strategy', () => {
    const seed = canary({ stepWeights: [20, 40, 60, 80], pauses: ['30s', '30s', '30s', '20s'], maxSurge: '50%', maxUnavailable: 0 }, { revisionHistoryLimit: 2 });
    expect(checkFleet(rolloutFleet(seed)).filter((p) => p.code.startsWith('canary/'))).toEqual([]);
  });

  it('needs one pause per step weight', () => {
    const [problem, ...rest] = problems(rolloutFleet(canary({ stepWeights: [20, 40, 60, 80], pauses: ['30s', '30s'] })), 'canary/invalid-pause');
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ severity: 'error', place: { cluster: 'stage', service: 'web', field: 'canary.strategy.pauses', definition: 'test/shop.ts' } });
    expect(problem.message).toBe('2 pauses for 4 step weights: each step needs its own pause');
  });

  it('rejects a pause the controller cannot parse (it would reject the Rollout)', () => {
    const bad = problems(rolloutFleet(canary({ stepWeights: [50], pauses: ['half a minute'] })), 'canary/invalid-pause');
    expect(bad.map((p) => p.place.field)).toEqual(['canary.strategy.pauses[0]']);
    expect(bad[0].message).toContain('Duration needs to be greater than 0');
    expect(problems(rolloutFleet(canary({ pause: '-5s' })), 'canary/invalid-pause').map((p) => p.place.field)).toEqual(['canary.strategy.pause']);
    for (const ok of ['30', '30s', '1m30s', '1.5h', '0s']) expect(problems(rolloutFleet(canary({ stepWeights: [50], pauses: [ok] })), 'canary/invalid-pause')).toEqual([]);
  });

  it('rejects maxSurge and maxUnavailable both 0, as the controller does', () => {
    const [problem] = problems(rolloutFleet(canary({ maxSurge: 0, maxUnavailable: '0%' })), 'canary/invalid-surge');
    expect(problem).toMatchObject({ severity: 'error', place: { field: 'canary.strategy.maxSurge' } });
    expect(problem.message).toContain('MaxSurge and MaxUnavailable both can not be zero');
    // One of them 0 is fine; the other defaults to 25%.
    expect(problems(rolloutFleet(canary({ maxUnavailable: 0 })), 'canary/invalid-surge')).toEqual([]);
    expect(problems(rolloutFleet(canary({ maxSurge: 0 })), 'canary/invalid-surge')).toEqual([]);
  });

  it('rejects a maxSurge or maxUnavailable that is neither a count nor a percentage', () => {
    const bad = problems(rolloutFleet(canary({ maxSurge: 'half', maxUnavailable: -1 })), 'canary/invalid-surge');
    expect(bad.map((p) => p.place.field)).toEqual(['canary.strategy.maxSurge', 'canary.strategy.maxUnavailable']);
    expect(problems(rolloutFleet(canary({ maxSurge: 1.5 })), 'canary/invalid-surge')).toHaveLength(1);
  });

  it('rejects a negative or fractional revisionHistoryLimit', () => {
    for (const limit of [-1, 2.5]) {
      expect(problems(rolloutFleet(canary({}, { revisionHistoryLimit: limit })), 'canary/invalid-revision-history').map((p) => p.place.field)).toEqual(['canary.revisionHistoryLimit']);
    }
    expect(problems(rolloutFleet(canary({}, { revisionHistoryLimit: 0 })), 'canary/invalid-revision-history')).toEqual([]);
  });

  it('rejects the Rollout-only fields on a Flagger cluster, which would ignore them', () => {
    const flagger = rolloutFleet(canary({ pauses: ['30s'], stepWeights: [50], maxSurge: '50%' }, { revisionHistoryLimit: 2 }), {
      progressiveDelivery: { engine: 'flagger', metrics: { prometheus: 'http://prometheus.monitoring:9090' } },
    });
    const [problem, ...rest] = problems(flagger, 'canary/argo-rollouts-only');
    expect(rest).toEqual([]);
    expect(problem.message).toBe('pauses, maxSurge, revisionHistoryLimit are Argo Rollouts fields; cluster stage runs Flagger, which would ignore them');
  });
});
