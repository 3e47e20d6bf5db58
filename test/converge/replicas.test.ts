import { convergeFleet } from '../../src/converge';
import { desiredHealthy } from '../../src/converge/drain';
import type { KubeObject } from '../../src/model/kube-object';
import { codesOf, hotelFleet, is, mutate, renderedBuilds, spec, type Spec } from './hotel-fleet';

// HPA-owned replica counts on the hotel fleet (not the sample): rooms is autoscaled 2–6, Flagger
// copies its HPA for rooms-primary (edge, mesh, blue), Argo Rollouts' Rollout is the HPA's target (rollouts).
const fleet = hotelFleet();
const builds = renderedBuilds(fleet);

describe('converge/drain-blocked', () => {
  it("finds a budget whose minAvailable equals the minReplicas of Flagger's primary HPA copy", () => {
    // GIVEN rooms' HPA floor lowered to 1: Flagger's rooms-primary HPA runs 1 pod, the budget wants 1 healthy
    const broken = mutate(builds, 'edge', (o) => {
      if (is(o, 'HorizontalPodAutoscaler', 'rooms')) spec(o).minReplicas = 1;
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.namespace} ${p.place.object} ${p.place.field}`)).toEqual(['edge converge/drain-blocked hotel PodDisruptionBudget/rooms spec.minAvailable']);
    expect(problems[0].message).toContain('Deployment/hotel/rooms-primary (at least 1: HorizontalPodAutoscaler hotel/rooms-primary');
    expect(problems[0].fix).toContain('maxUnavailable: 1');
  });

  it('finds a budget with maxUnavailable 0 on a Rollout scaled by an HPA', () => {
    const broken = mutate(builds, 'rollouts', (o) => {
      if (is(o, 'PodDisruptionBudget', 'rooms')) {
        delete spec(o).minAvailable;
        spec(o).maxUnavailable = 0;
      }
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object} ${p.place.field}`)).toEqual(['rollouts converge/drain-blocked PodDisruptionBudget/rooms spec.maxUnavailable']);
    expect(problems[0].message).toContain('ReplicaSet/hotel/rooms-stable (at least 2: HorizontalPodAutoscaler hotel/rooms)');
  });

  it('holds when the minimum leaves room for one eviction', () => {
    const raised = mutate(builds, 'edge', (o) => {
      if (is(o, 'PodDisruptionBudget', 'rooms')) spec(o).minAvailable = '50%';
      return o;
    });
    expect(codesOf(fleet, raised)).toEqual([]);
  });

  it('scales percentages against the expected pods rounding up, as the disruption controller does', () => {
    const budget = (s: Spec) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'b' }, spec: s }) as KubeObject;
    expect(desiredHealthy(budget({ minAvailable: '50%' }), 3)).toBe(2);
    expect(desiredHealthy(budget({ minAvailable: '50%' }), 1)).toBe(1);
    expect(desiredHealthy(budget({ maxUnavailable: '10%' }), 2)).toBe(1);
    expect(desiredHealthy(budget({ maxUnavailable: '0%' }), 4)).toBe(4);
    expect(desiredHealthy(budget({}), 4)).toBeUndefined();
  });
});

describe('converge/replicas-conflict', () => {
  it('finds a fixed spec.replicas on a workload an HPA scales', () => {
    const broken = mutate(builds, 'rollouts', (o) => {
      if (is(o, 'Rollout', 'rooms')) spec(o).replicas = 3;
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.object} ${p.place.field}`)).toEqual(['rollouts converge/replicas-conflict Rollout/rooms spec.replicas']);
    expect(problems[0].message).toContain('HorizontalPodAutoscaler hotel/rooms scales it between 2 and 6');
  });

  it('finds two HPAs on one workload', () => {
    const broken = mutate(builds, 'blue', (o) => (is(o, 'HorizontalPodAutoscaler', 'rooms') ? [o, { ...o, metadata: { ...o.metadata, name: 'rooms-memory' } }] : o));
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/replicas-conflict HorizontalPodAutoscaler/rooms-memory']);
    expect(problems[0].message).toContain('AmbiguousSelector');
  });

  it("finds a Canary whose target an HPA scales but that does not name it, leaving the primary unscaled", () => {
    const broken = mutate(builds, 'mesh', (o) => {
      if (is(o, 'Canary', 'rooms')) delete spec(o).autoscalerRef;
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    // The primary then runs 1 replica (the target sets none), which the budget's minAvailable 1 also pins.
    expect(problems.map((p) => `${p.code} ${p.place.object}`).sort()).toEqual(['converge/drain-blocked PodDisruptionBudget/rooms', 'converge/replicas-conflict Canary/rooms']);
    expect(problems.find((p) => p.code === 'converge/replicas-conflict')?.fix).toContain('rooms-primary');
  });
});
