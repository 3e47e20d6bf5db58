import { convergeFleet, type ClusterBuilds } from '../../src/converge';
import type { KubeObject } from '../../src/model/kube-object';
import { hotelFleet, is, mutate, renderedBuilds, spec } from './hotel-fleet';

// Argo CD-owned paths on the hotel fleet's `argo` cluster (not the sample): Flux applies the
// infrastructure, the parent Application argo-apps (applied by hand) applies the child
// argo-apps-hotel (wave 0, automated), which applies clusters/argo/apps/hotel.
const fleet = hotelFleet();
const builds = renderedBuilds(fleet);

const report = (b: readonly ClusterBuilds[]) => convergeFleet(fleet, b).map((p) => `${p.place.cluster} ${p.code} ${p.place.object}`);

const registry = (annotations: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry', namespace: 'hotel', annotations }, type: 'kubernetes.io/dockerconfigjson' });
const pullsFromRegistry = (o: KubeObject) => {
  if (is(o, 'Deployment', 'rooms')) spec(o).template.spec.imagePullSecrets = [{ name: 'registry' }];
  return o;
};

/** The argo cluster with a second child Application (clusters/argo/apps/registry) that delivers Secret hotel/registry. */
function withRegistryApplication(application: (app: KubeObject) => KubeObject): ClusterBuilds[] {
  const withPull = mutate(builds, 'argo', pullsFromRegistry);
  return withPull.map((b) => {
    if (b.name !== 'argo' || !b.argoCd) return b;
    const [parentPath, children] = [...b.argoCd.builds][0];
    const hotel = children.find((c) => c.metadata.name === 'argo-apps-hotel') as KubeObject;
    const child = application({ ...structuredClone(hotel), metadata: { ...structuredClone(hotel.metadata), name: 'argo-apps-registry' }, spec: { ...structuredClone(spec(hotel)), source: { ...spec(hotel).source, path: 'clusters/argo/apps/registry' } } });
    return { ...b, builds: new Map([...b.builds, ['clusters/argo/apps/registry', [registry()]]]), argoCd: { ...b.argoCd, builds: new Map([[parentPath, [...children, child]]]) } };
  });
}
const inWave = (wave: string) => (app: KubeObject) => ({ ...app, metadata: { ...app.metadata, annotations: { 'argocd.argoproj.io/sync-wave': wave } } });

describe('converge/undelivered on Argo CD-owned paths', () => {
  it('finds a Secret the same Application applies in a later sync wave than the Deployment that pulls with it', () => {
    const broken = mutate(builds, 'argo', (o) => (is(o, 'Deployment', 'rooms') ? [pullsFromRegistry(o), registry({ 'argocd.argoproj.io/sync-wave': '1' })] : o));
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.namespace} ${p.place.object}`)).toEqual(['argo converge/undelivered hotel Deployment/rooms']);
    expect(problems[0].message).toContain('Application argo-apps-hotel applies it in sync wave 1, after wave 0 of the reference');
    expect(problems[0].message).toContain('never becomes Healthy without it');
  });

  it('accepts the Secret in an earlier wave, or in the same wave (applied in one step)', () => {
    for (const wave of ['-1', '0']) {
      expect(report(mutate(builds, 'argo', (o) => (is(o, 'Deployment', 'rooms') ? [pullsFromRegistry(o), registry({ 'argocd.argoproj.io/sync-wave': wave })] : o)))).toEqual([]);
    }
  });

  it('orders sibling Applications by wave under the Application health check', () => {
    expect(report(withRegistryApplication(inWave('-1')))).toEqual([]);
    const later = convergeFleet(fleet, withRegistryApplication(inWave('1')));
    expect(later.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/undelivered Deployment/rooms']);
    expect(later[0].message).toContain('delivered by Application argo-apps-registry in sync wave 1 of parent argo-apps, after Application argo-apps-hotel');
    const same = convergeFleet(fleet, withRegistryApplication(inWave('0')));
    expect(same[0].message).toContain('in the same sync wave (0) of parent argo-apps');
  });

  it('finds a Secret only a manually synced Application delivers', () => {
    const manual = withRegistryApplication((app) => {
      const ordered = inWave('-1')(app);
      return { ...ordered, spec: { ...spec(ordered), syncPolicy: { syncOptions: ['ServerSideApply=true'] } } };
    });
    const problems = convergeFleet(fleet, manual);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/undelivered Deployment/rooms']);
    expect(problems[0].message).toContain('whose sync policy is not automated: nothing applies it until someone syncs it');
  });

  it('treats every child as manual when the parent is not automated', () => {
    const parentManual = mutate(withRegistryApplication(inWave('-1')), 'argo', (o) => {
      if (is(o, 'Application', 'argo-apps')) spec(o).syncPolicy = { automated: { enabled: false } };
      return o;
    });
    expect(convergeFleet(fleet, parentManual).map((p) => p.message)).toEqual([expect.stringContaining('Application argo-apps-registry, whose sync policy is not automated')]);
  });

  it('finds a Secret Flux delivers to an Argo CD-owned Deployment (neither waits for the other)', () => {
    const broken = mutate(builds, 'argo', (o) => (is(o, 'Namespace', 'hotel') ? [o, registry()] : pullsFromRegistry(o)));
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`)).toEqual(['converge/undelivered Deployment/rooms']);
    expect(problems[0].message).toContain('delivered by Flux Kustomization infra-configs, and Argo CD Application argo-apps-hotel does not wait for Flux');
  });
});

describe('converge/unhealthy-wait on Argo CD-owned paths', () => {
  it('finds child waves without the Application health check in argocd-cm, and stops trusting them for delivery', () => {
    const broken = mutate(withRegistryApplication(inWave('-1')), 'argo', (o) => {
      if (is(o, 'ConfigMap', 'argocd-cm')) return { ...o, data: {} } as KubeObject;
      return o;
    });
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.object}`).sort()).toEqual(['converge/undelivered Deployment/rooms', 'converge/unhealthy-wait Application/argo-apps']);
    expect(problems.find((p) => p.code === 'converge/unhealthy-wait')?.message).toContain('sync waves -1, 0');
  });

  it("does not apply Flux's kstatus rule to a Rollout Argo CD applies (Argo CD assesses Rollouts itself)", () => {
    const rollout: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'spare', namespace: 'hotel' }, spec: { strategy: { canary: {} } } };
    const withRollout = mutate(builds, 'argo', (o) => (is(o, 'Deployment', 'rates') ? [o, rollout] : o));
    expect(report(withRollout)).toEqual([]);
  });
});

describe('converge/platform-namespace on Argo CD-owned paths', () => {
  it('finds an Application that applies a platform Namespace', () => {
    const broken = mutate(builds, 'argo', (o) => (is(o, 'Deployment', 'rates') ? [o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } }] : o));
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.place.cluster} ${p.code} ${p.place.namespace}`)).toEqual(['argo converge/platform-namespace default']);
    expect(problems[0].message).toContain('Application argo-apps-hotel applies Namespace default');
    expect(problems[0].message).toContain('Argo CD would take over its labels');
  });

  it("finds a platform Namespace in Argo CD's bootstrap, applied by hand", () => {
    const broken = mutate(builds, 'argo', (o) => (is(o, 'ConfigMap', 'argocd-cm') ? [o, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-public' } }] : o));
    const problems = convergeFleet(fleet, broken);
    expect(problems.map((p) => `${p.code} ${p.place.namespace}`)).toEqual(['converge/platform-namespace kube-public']);
    expect(problems[0].message).toContain("Argo CD's bootstrap (clusters/argo/argocd, applied by hand) applies Namespace kube-public");
  });
});
