import { SYNC_WAVE_ANNOTATION } from '../../src/charts/argocd/application';
import { fleet } from '../../src/environments';
import type { ClusterSpec } from '../../src/model/cluster';
import type { KubeObject } from '../../src/model/kube-object';
import { APPLICATION_HEALTH_KEY, checkArgoCd, checkPathOwnership, renderArgoCd } from '../../src/render/argocd';
import { checkManualWaves } from '../../src/render/argocd-applications';
import { renderFleet } from '../../src/render/render-fleet';
import { miniFleet } from '../support/fleet-fixtures';
import { renderOk } from '../support/render-to-dir';

type Application = KubeObject & {
  spec: { source: { path: string }; destination: { namespace?: string }; syncPolicy: { automated?: unknown; syncOptions: string[]; retry: { limit: number } } };
};

const sample = (name: string): ClusterSpec => {
  const cluster = fleet.clusters.find((c) => c.name === name);
  if (!cluster) throw new Error(`no sample cluster ${name}`);
  return cluster;
};
const wave = (app: KubeObject) => app.metadata.annotations?.[SYNC_WAVE_ANNOTATION];
const codes = (problems: readonly { severity: string; code: string; place: { field?: string } }[]) => problems.map((p) => `${p.severity} ${p.code} ${p.place.field}`);
const argoCdCluster = (argocd: ClusterSpec['argocd']): ClusterSpec => ({ ...miniFleet().clusters[0], argocd, secrets: { backend: 'sealed-secrets', certificate: 'c.pem' } });

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
    const child = doc('clusters/staging/argocd/applications/argocd-application-flight-info.yaml') as Application;
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
  describe('Applications as teams name and sync them', () => {
    it('renders a named, manual Application: no syncPolicy.automated, the same sync options and retry for the sync someone starts', () => {
      // GIVEN a cluster whose team names its Application and syncs it by hand (seed 000's flight-info)
      const cluster = argoCdCluster({ applications: { shop: { name: 'shop-web', sync: 'manual' } } });

      // WHEN Argo CD's objects are rendered
      const { applications, bootstrap } = renderArgoCd(cluster, [{ namespace: 'shop' }], ['shop']);

      // THEN the child carries the name and no automated policy; the parent still applies it by itself
      const [child] = applications as Application[];
      expect(child.metadata.name).toBe('shop-web');
      expect(child.spec.syncPolicy.automated).toBeUndefined();
      expect(child.spec.syncPolicy.syncOptions).toEqual(['ServerSideApply=true']);
      expect(child.spec.syncPolicy.retry.limit).toBe(-1);
      expect(child.spec.source.path).toBe('clusters/stage/apps/shop');
      const parent = bootstrap.find((o) => o.kind === 'Application') as Application;
      expect(parent.metadata.name).toBe('stage-apps');
      expect(parent.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    });

    it('syncs every Application as argocd.sync says, unless its own entry says otherwise; automated when nothing is said', () => {
      const units = [{ namespace: 'shop' }, { namespace: 'tools', group: 'ci' }];
      const synced = (argocd: ClusterSpec['argocd']) =>
        (renderArgoCd(argoCdCluster(argocd), units, []).applications as Application[]).map((a) => [a.metadata.name, a.spec.syncPolicy.automated === undefined ? 'manual' : 'automated']);
      expect(synced({})).toEqual([
        ['stage-apps-shop', 'automated'],
        ['stage-apps-tools-ci', 'automated'],
      ]);
      expect(synced({ sync: 'manual', applications: { 'tools/ci': { sync: 'automated' } } })).toEqual([
        ['stage-apps-shop', 'manual'],
        ['stage-apps-tools-ci', 'automated'],
      ]);
    });

    it('warns once per manual Application that commits change nothing until someone syncs it', () => {
      const fleet = miniFleet({ cluster: { argocd: { applications: { shop: { name: 'shop-web', sync: 'manual' } } }, secrets: { backend: 'sealed-secrets', certificate: 'c.pem' } } });
      const manual = checkArgoCd(fleet.clusters[0], [{ namespace: 'shop' }]).filter((p) => p.code === 'argocd/manual-sync');
      expect(codes(manual)).toEqual(['warning argocd/manual-sync argocd.applications.shop.sync']);
      expect(manual[0].message).toContain('clusters/stage/apps/shop changes nothing on cluster stage until someone syncs it');
      expect(manual[0].fix).toContain('argocd app sync shop-web');
      expect(checkArgoCd(argoCdCluster({ sync: 'manual' }), [{ namespace: 'shop' }]).map((p) => p.place.field)).toEqual(['argocd.sync']);
    });

    it('stops synth on an Application name that is not a DNS-1123 subdomain, with the field and a valid example', () => {
      // GIVEN a name as a UI would accept it from a person, with capitals and an underscore
      const fleet = miniFleet({ cluster: { argocd: { applications: { shop: { name: 'Flight_Info' } } }, secrets: { backend: 'sealed-secrets', certificate: 'c.pem' } } });

      // WHEN the fleet is rendered
      const errors = renderFleet(fleet).problems.filter((p) => p.severity === 'error');

      // THEN synth stops with one clear problem at the declaration
      expect(codes(errors)).toEqual(['error argocd/invalid-application-name argocd.applications.shop.name']);
      expect(errors[0].message).toContain('"Flight_Info" is not a DNS-1123 subdomain');
      expect(errors[0].fix).toContain('e.g. flight-info');
    });

    it('refuses keys that are no Argo CD unit, duplicate names (also the parent\'s) and declared names longer than a label', () => {
      const units = [{ namespace: 'shop' }, { namespace: 'shop', group: 'search' }];
      expect(codes(checkArgoCd(argoCdCluster({ applications: { payments: { sync: 'manual' } } }), units))).toEqual(['error argocd/unknown-application argocd.applications.payments']);
      expect(codes(checkArgoCd(argoCdCluster({ applications: { shop: { name: 'shop' }, 'shop/search': { name: 'shop' } } }), units))).toEqual([
        'error argocd/duplicate-application argocd.applications.shop/search.name',
      ]);
      expect(codes(checkArgoCd(argoCdCluster({ applications: { shop: { name: 'stage-apps' } } }), units))).toEqual(['error argocd/duplicate-application argocd.applications.shop.name']);
      const bothParent = checkArgoCd(argoCdCluster({ applications: { shop: { name: 'stage-apps' }, 'shop/search': { name: 'stage-apps' } } }), units);
      expect(bothParent.map((p) => p.message.includes('the app-of-apps parent stage-apps'))).toEqual([true, true]);
      expect(codes(checkArgoCd(argoCdCluster({ applications: { shop: { name: 'a'.repeat(64) } } }), units))).toEqual(['error argocd/name-too-long argocd.applications.shop.name']);
      expect(codes(checkArgoCd(argoCdCluster({ applications: { shop: { name: 'a'.repeat(63) }, 'shop/search': { name: 'shop-search' } } }), units))).toEqual([]);
    });

    it('refuses a manual Application in a wave before another: the parent would wait for its first sync', () => {
      // GIVEN a namespace whose own unit (with the secrets) is manual and an applyGroup one wave later
      const units = [{ namespace: 'shop' }, { namespace: 'shop', group: 'search' }];
      const blocked = argoCdCluster({ applications: { shop: { name: 'shop-web', sync: 'manual' } } });
      const problems = checkManualWaves(blocked, renderArgoCd(blocked, units, ['shop']).applications);

      // THEN it is an error naming the waiting Application
      expect(codes(problems)).toEqual(['error argocd/manual-sync-blocks-wave argocd.applications.shop.sync']);
      expect(problems[0].message).toContain('before stage-apps-shop-search');
      // a manual Application in the last wave holds nothing up, nor do manual ones without waves
      const last = argoCdCluster({ applications: { 'shop/search': { sync: 'manual' } } });
      expect(checkManualWaves(last, renderArgoCd(last, units, ['shop']).applications)).toEqual([]);
      const allManual = argoCdCluster({ sync: 'manual' });
      expect(codes(checkManualWaves(allManual, renderArgoCd(allManual, units, ['shop']).applications))).toEqual(['error argocd/manual-sync-blocks-wave argocd.sync']);
      expect(checkManualWaves(allManual, renderArgoCd(allManual, units, []).applications)).toEqual([]);
    });

    it('renders the seeds\' Applications: flight-info on staging (seed 000) and flightspecials on specials (seed 002), both manual', () => {
      const { clusters } = renderOk(fleet, { clusters: ['staging', 'specials'] });
      const children = clusters.map((cluster) =>
        [...cluster.files.entries()]
          .filter(([path]) => path.includes('/argocd/applications/') && !path.endsWith('kustomization.yaml'))
          .map(([, file]) => file.documents[0] as Application),
      );
      expect(children.map((apps) => apps.map((a) => [a.metadata.name, a.spec.destination.namespace, a.spec.source.path, a.spec.syncPolicy.automated === undefined]))).toEqual([
        [['flight-info', 'microservices', 'clusters/staging/apps/microservices', true]],
        [['flightspecials', 'flightspecials', 'clusters/specials/apps/flightspecials', true]],
      ]);
      expect(children.flat().map((a) => (a.spec as { project?: string }).project)).toEqual(['default', 'default']);
    });
  });
});
