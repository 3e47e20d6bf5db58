import { HelmAppRelease } from '../../../src/charts/helm-app/helm-app-release';
import { synthObjects } from '../../../src/render/synth-objects';

const labels = { 'app.kubernetes.io/name': 'shop' };

describe('HelmAppRelease', () => {
  it.each([
    ['a Helm repository', { helmRepository: 'https://charts.example.test', name: 'shop', version: '1.2.3' }, '1.2.3'],
    ['an OCI registry', { ociRepository: 'oci://ghcr.io/example/charts/', name: 'shop', version: '1.2.3' }, '1.2.3'],
    ['a chart directory of this repository', { path: './helm/shop' }, undefined],
    ['a chart directory of another Git repository', { gitRepository: 'https://gitlab.com/team/shop', ref: { branch: 'master' }, path: 'deploy/charts/shop' }, undefined],
  ] as const)('renders the source and HelmRelease of a chart from %s', (_name, chart, version) => {
    // GIVEN a chart source, WHEN the release is rendered
    const objects = synthObjects((scope) => new HelmAppRelease(scope, 'shop', { name: 'shop', namespace: 'apps', chart, version, values: { replicas: 2 }, labels, dependsOn: [{ name: 'db' }, { name: 'auth', namespace: 'identity' }] }));
    // THEN it matches the reviewed output (remediation, pinned version, one source in the app's namespace)
    expect(objects).toMatchSnapshot();
    const release = objects.find((o) => o.kind === 'HelmRelease') as unknown as { spec: Record<string, unknown> };
    // spec.chart and spec.chartRef are mutually exclusive (HelmRelease CRD, x-kubernetes-validations)
    expect([release.spec.chart, release.spec.chartRef].filter(Boolean)).toHaveLength(1);
  });

  it('reads a chart of another Git repository from its own GitRepository at the model\'s ref, released per revision', () => {
    // GIVEN the seed-003 layout: charts in deploy/charts of the team's repository, on a tag
    const chart = { gitRepository: 'https://gitlab.com/team/shop', ref: { tag: 'v1.4.0' }, path: 'deploy/charts/shop' } as const;
    const objects = synthObjects((scope) => new HelmAppRelease(scope, 'shop', { name: 'shop', namespace: 'apps', chart, values: {}, labels }));
    // THEN the GitRepository follows exactly that ref, and the release points at it and the directory
    const source = objects.find((o) => o.kind === 'GitRepository') as unknown as { metadata: { name: string; namespace: string }; spec: Record<string, unknown> };
    expect(source.metadata).toMatchObject({ name: 'shop', namespace: 'apps' });
    expect(source.spec).toEqual({ url: 'https://gitlab.com/team/shop', interval: '1h', ref: { tag: 'v1.4.0' } });
    const release = objects.find((o) => o.kind === 'HelmRelease') as unknown as { spec: { chart: { spec: Record<string, unknown> } } };
    expect(release.spec.chart.spec).toEqual({ chart: './deploy/charts/shop', sourceRef: { kind: 'GitRepository', name: 'shop' }, reconcileStrategy: 'Revision' });
  });
});
