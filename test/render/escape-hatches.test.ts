import { k8s } from 'cdk8s-plus-27';
import type { KubeObject } from '../../src/model/kube-object';
import { attachChart } from '../../src/model/custom-chart';
import type { FleetSpec } from '../../src/model/fleet';
import { formatProblem } from '../../src/model/problem';
import { checkChartSources } from '../../src/converge/chart-sources';
import { renderFleet, type RenderResult } from '../../src/render/render-fleet';
import { validateFleet } from '../../src/validate/validate-fleet';
import { escapeHatchFleet } from '../support/escape-hatch-fleet';
import { expectKustomizeBuildEquals } from '../support/kustomize-equality';
import { renderToDir } from '../support/render-to-dir';

function validationErrors(fleet: FleetSpec, result: RenderResult): string[] {
  const clusters = result.clusters.map((c) => ({ name: c.spec.name, production: c.production, kubernetesVersion: c.spec.kubernetesVersion, objects: c.objects }));
  const { results } = validateFleet(fleet, clusters, { pathExists: (path) => result.files.has(`${path.replace(/^\.\//, '')}/kustomization.yaml`) });
  return results.flatMap((r) => r.problems).filter((p) => p.severity === 'error' && !p.waived).map(formatProblem);
}

describe('escape hatches: user charts, one-off objects, patches, Helm-chart apps', () => {
  // GIVEN a fleet using every escape hatch, rendered to disk
  const fleet = escapeHatchFleet();
  const { dir, result } = renderToDir(fleet);
  const objects = result.clusters[0].objects;
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name) as (KubeObject & Record<string, any>) | undefined;
  const text = (path: string) => result.files.get(path) ?? '';

  it('renders user charts into the base and their environment\'s values into the computed overlay', () => {
    expect(text('dist/bases/web/config-map-web-settings.yaml')).toMatch(/beta: 'false'/);
    expect(find('ConfigMap', 'web-settings')?.data).toEqual({ level: 'info', search: 'true', beta: 'true', environment: 'staging' });
    expect(find('ConfigMap', 'web-settings')?.metadata.namespace).toBe('shop');
    // The debug chart is in the base but not in staging: the overlay deletes it.
    expect(text('dist/bases/web/config-map-web-debug.yaml')).toMatch(/web-debug/);
    expect(find('ConfigMap', 'web-debug')).toBeUndefined();
    expect(text('clusters/stage/apps/shop/web/patches/config-map-web-debug.yaml')).toMatch(/\$patch: delete/);
    expect(text('clusters/stage/apps/shop/guardrails/patches/resource-quota.yaml')).toMatch(/requests.cpu\n {2}value: '4'/);
  });

  it('renders one-off objects and applies patches before the overlay is computed', () => {
    expect(find('ConfigMap', 'web-maintenance')?.metadata.namespace).toBe('shop');
    expect(text('clusters/stage/apps/shop/web/kustomization.yaml')).toMatch(/config-map-web-maintenance.yaml/);
    expect(find('Deployment', 'web')?.spec.template.metadata.annotations).toMatchObject({ 'example.com/scrape': 'true' });
    expect(find('Service', 'web')?.spec.sessionAffinity).toBe('ClientIP');
  });

  it('renders Helm-chart apps from each kind of source, pinned, with dependsOn and per-environment values and version', () => {
    const redis = find('HelmRelease', 'redis');
    expect(redis?.spec.chart.spec).toEqual({ chart: 'redis', version: '19.6.5', sourceRef: { kind: 'HelmRepository', name: 'redis' } });
    expect(redis?.spec.values).toEqual({ replica: { replicaCount: 2 } });
    expect(find('HelmRepository', 'redis')?.spec.url).toBe('https://charts.example.test');
    expect(find('OCIRepository', 'podinfo')?.spec).toMatchObject({ url: 'oci://ghcr.io/stefanprodan/charts/podinfo', ref: { tag: '6.7.1' } });
    expect(find('HelmRelease', 'podinfo')?.spec).toMatchObject({ chartRef: { kind: 'OCIRepository', name: 'podinfo' }, dependsOn: [{ name: 'redis' }] });
    expect(find('HelmRelease', 'loadgenerator')?.spec.chart.spec).toEqual({
      chart: './helm/loadgenerator',
      sourceRef: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' },
      reconcileStrategy: 'Revision',
    });
  });

  it('expects no publisher record for an app\'s own chart (declared and pinned in the model), unlike a controller\'s', () => {
    expect(checkChartSources('stage', objects)).toEqual([]);
    const asInfrastructure = objects.map((o) => (o.kind === 'HelmRelease' ? { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, 'app.kubernetes.io/part-of': 'infrastructure' } } } : o));
    // A chart directory of this repository is never "published"; the other two would be.
    expect(checkChartSources('stage', asInfrastructure).map((p) => p.place.object)).toEqual(['HelmRelease/redis', 'HelmRelease/podinfo']);
  });

  it('passes validation (schemas of HelmRelease and sources from the Flux CRDs, references, policy)', () => {
    expect(validationErrors(fleet, result)).toEqual([]);
  });

  it(
    'builds with kubectl kustomize into exactly the objects the model implies',
    () => expectKustomizeBuildEquals(dir, 'stage', objects),
    120_000,
  );

  it('renders the same files (snapshot)', () => {
    const files = [...result.files].filter(([path]) => /^(dist\/bases\/(web|guardrails|redis|podinfo|loadgenerator)\/|clusters\/stage\/apps\/)/.test(path));
    expect(Object.fromEntries(files)).toMatchSnapshot();
  });

  it('validates the patched object: a patch that breaks policy is a policy error', () => {
    const broken = escapeHatchFleet({
      tag: '1.0.0',
      patches: [{ target: { kind: 'Deployment' }, merge: { spec: { template: { spec: { containers: [{ name: 'web', securityContext: { readOnlyRootFilesystem: false } }] } } } } }],
    });
    const rendered = renderFleet(broken);
    expect(validationErrors(broken, rendered).join('\n')).toMatch(/policy\/secure-context/);
  });

  it('refuses a patch whose target is not rendered, naming it', () => {
    const rendered = renderFleet(escapeHatchFleet({ tag: '1.0.0', patches: [{ target: { kind: 'CronJob' }, merge: { spec: { suspend: true } } }] }));
    expect(rendered.problems.filter((p) => p.severity === 'error').map((p) => `${p.code}: ${p.message}`)).toEqual(['model/patch-target-missing: no rendered object is CronJob/web']);
    expect(rendered.files.size).toBe(0);
  });

  it('refuses a plain Secret from a user chart (the secrets gate covers user objects, base included)', () => {
    const fleet = escapeHatchFleet();
    const leaky: FleetSpec = {
      ...fleet,
      systems: [
        {
          ...fleet.systems[0],
          services: [
            {
              ...fleet.systems[0].services[0],
              charts: [attachChart({ id: 'leak', values: {}, environments: { staging: false }, chart: (scope) => void new k8s.KubeSecret(scope, 'S', { metadata: { name: 'web-token' }, stringData: { token: 'hunter2' } }) })],
            },
          ],
        },
      ],
    };
    const rendered = renderFleet(leaky);
    // Left out of staging, the Secret would still be written into the base: refused there too.
    expect(rendered.problems.map((p) => p.code)).toContain('secrets/plaintext-secret');
    expect(rendered.files.size).toBe(0);
    expect(JSON.stringify(rendered.problems)).not.toContain('hunter2');
  });
});
