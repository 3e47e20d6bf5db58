import { SYNC_WAVE_ANNOTATION } from '../../src/charts/argocd/application';
import { fleet } from '../../src/environments';
import type { ClusterSpec } from '../../src/model/cluster';
import type { KubeObject } from '../../src/model/kube-object';
import { APPLICATION_HEALTH_KEY, checkArgoCd, checkPathOwnership, renderArgoCd } from '../../src/render/argocd';
import { renderFleet } from '../../src/render/render-fleet';
import { miniFleet } from '../support/fleet-fixtures';
import { renderOk } from '../support/render-to-dir';

type Application = KubeObject & { spec: { source: { path: string }; destination: { namespace?: string }; syncPolicy: { retry: { limit: number } } } };

const sample = (name: string): ClusterSpec => {
  const cluster = fleet.clusters.find((c) => c.name === name);
  if (!cluster) throw new Error(`no sample cluster ${name}`);
  return cluster;
};
const wave = (app: KubeObject) => app.metadata.annotations?.[SYNC_WAVE_ANNOTATION];
const codes = (problems: readonly { severity: string; code: string; place: { field?: string } }[]) => problems.map((p) => `${p.severity} ${p.code} ${p.place.field}`);

describe('Argo CD flavour', () => {
  it('orders the children through one app-of-apps parent, whose waves wait on Application health', () => {
    // GIVEN staging, whose team runs Argo CD for its apps
    const files = renderOk(fleet, { clusters: ['staging'] }).clusters[0].files;
    const doc = (path: string) => files.get(path)?.documents[0] as KubeObject | undefined;

    // THEN the parent syncs the children's directory, and the health check it needs comes with it
    const parent = doc('clusters/staging/argocd/argocd-application-staging-apps.yaml') as Application;
    expect(parent.spec.source.path).toBe('clusters/staging/argocd/applications');
    expect(parent.spec.destination.namespace).toBe('argocd');
    const config = doc('clusters/staging/argocd/argocd-config-map-argocd-cm.yaml') as KubeObject & { data: Record<string, string> };
    expect(config.metadata).toMatchObject({ name: 'argocd-cm', namespace: 'argocd', labels: { 'app.kubernetes.io/part-of': 'argocd' } });
    expect(config.data[APPLICATION_HEALTH_KEY]).toContain('hs.status = obj.status.health.status');
    expect((files.get('clusters/staging/argocd/kustomization.yaml')?.documents[0] as { resources: string[] }).resources).toEqual([
      'argocd-application-staging-apps.yaml',
      'argocd-config-map-argocd-cm.yaml',
    ]);
    const child = doc('clusters/staging/argocd/applications/argocd-application-staging-apps-microservices.yaml') as Application;
    expect(child.spec.source.path).toBe('clusters/staging/apps/microservices');
    // the namespace comes from Flux's infra-configs, which Argo CD cannot wait for: retry forever
    expect(child.spec.syncPolicy.retry.limit).toBe(-1);
  });

  it('gives every apps path exactly one owner: Argo CD for its namespaces, Flux for the rest', () => {
    // GIVEN a cluster with two namespaces, one of them Argo CD's
    const base = miniFleet({ cluster: { argocd: { namespaces: ['shop'] } } });
    const system = base.systems[0];
    const other = { ...system.services[0], name: 'ledger', namespace: 'finance' };
    const environments = system.environments.map((e) => ({ ...e, services: { ...e.services, ledger: { tag: '1.0.0' } } }));
    const twoNamespaces = { ...base, systems: [{ ...system, services: [...system.services, other], environments }], clusters: [{ ...base.clusters[0], services: ['web', 'ledger'] }] };
    const cluster = renderOk(twoNamespaces).clusters[0];

    // THEN Flux applies finance, Argo CD shop, and no path twice
    const fluxPaths = cluster.objects.filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')).map((k) => (k.spec as { path: string }).path);
    expect(fluxPaths).toEqual(['./clusters/stage/infrastructure/controllers', './clusters/stage/infrastructure/configs', './clusters/stage/apps/finance']);
    const children = [...cluster.files.entries()].filter(([path]) => path.startsWith('clusters/stage/argocd/applications/') && !path.endsWith('kustomization.yaml'));
    expect(children.map(([, file]) => (file.documents[0] as Application).spec.source.path)).toEqual(['clusters/stage/apps/shop']);
  });

  it('syncs an applyGroup one wave after the unit holding its namespace secrets', () => {
    const cluster: ClusterSpec = { ...miniFleet().clusters[0], argocd: {} };
    const { applications } = renderArgoCd(cluster, [{ namespace: 'shop' }, { namespace: 'shop', group: 'search' }, { namespace: 'tools', group: 'ci' }], ['shop']);
    expect(applications.map((a) => [a.metadata.name, wave(a)])).toEqual([
      ['stage-apps-shop', '0'],
      ['stage-apps-shop-search', '1'],
      ['stage-apps-tools-ci', '0'],
    ]);
  });

  it('refuses Argo CD on a SOPS cluster, unknown namespaces and Application names longer than a label', () => {
    const units = [{ namespace: 'shop' }];
    const base = miniFleet().clusters[0];
    expect(codes(checkArgoCd({ ...base, argocd: {}, secrets: { backend: 'sops', ageRecipient: 'age1x' } }, units))).toEqual(['error argocd/sops-unsupported argocd']);
    expect(codes(checkArgoCd({ ...base, argocd: {}, secrets: { backend: 'sealed-secrets', certificate: 'c.pem' } }, units))).toEqual([]);
    expect(codes(checkArgoCd({ ...base, argocd: { namespaces: ['payments'] } }, units))).toEqual(['error argocd/unknown-namespace argocd.namespaces']);
    const long = 'g'.repeat(63 - 'stage-apps-shop-'.length + 1);
    expect(codes(checkArgoCd({ ...base, argocd: {} }, [{ namespace: 'shop', group: long }]))).toEqual(['error argocd/name-too-long applyGroup']);
    expect(codes(checkArgoCd({ ...base, argocd: {} }, [{ namespace: 'shop', group: long.slice(1) }]))).toEqual([]);
  });

  it('stops synth when Argo CD is set on a SOPS cluster', () => {
    const sops = miniFleet({ cluster: { argocd: {}, secrets: { backend: 'sops', ageRecipient: 'age1x' } } });
    expect(codes(renderFleet(sops).problems.filter((p) => p.severity === 'error'))).toEqual(['error argocd/sops-unsupported argocd']);
  });

  it('reports a path a Flux Kustomization and an Argo CD Application both apply', () => {
    const cluster = sample('staging');
    const kustomization: KubeObject = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps-microservices', namespace: 'flux-system' }, spec: { path: './clusters/staging/apps/microservices' } };
    const { applications } = renderArgoCd(cluster, [{ namespace: 'microservices' }], []);
    expect(codes(checkPathOwnership(cluster, [kustomization], applications))).toEqual(['error argocd/path-owned-twice argocd.namespaces']);
    expect(checkPathOwnership(cluster, [], applications)).toEqual([]);
  });

  it('renders nothing for Flux-only clusters', () => {
    expect(renderArgoCd(sample('development'), [{ namespace: 'bookstore' }], [])).toEqual({ bootstrap: [], applications: [] });
  });
});
