import { HelmAppRelease } from '../../../src/charts/helm-app/helm-app-release';
import { synthObjects } from '../../../src/render/synth-objects';

const labels = { 'app.kubernetes.io/name': 'shop' };

describe('HelmAppRelease', () => {
  it.each([
    ['a Helm repository', { helmRepository: 'https://charts.example.test', name: 'shop', version: '1.2.3' }, '1.2.3'],
    ['an OCI registry', { ociRepository: 'oci://ghcr.io/example/charts/', name: 'shop', version: '1.2.3' }, '1.2.3'],
    ['a chart directory of this repository', { path: './helm/shop' }, undefined],
  ] as const)('renders the source and HelmRelease of a chart from %s', (_name, chart, version) => {
    // GIVEN a chart source, WHEN the release is rendered
    const objects = synthObjects((scope) => new HelmAppRelease(scope, 'shop', { name: 'shop', namespace: 'apps', chart, version, values: { replicas: 2 }, labels, dependsOn: [{ name: 'db' }, { name: 'auth', namespace: 'identity' }] }));
    // THEN it matches the reviewed output (remediation, pinned version, one source in the app's namespace)
    expect(objects).toMatchSnapshot();
    const release = objects.find((o) => o.kind === 'HelmRelease') as unknown as { spec: Record<string, unknown> };
    // spec.chart and spec.chartRef are mutually exclusive (HelmRelease CRD, x-kubernetes-validations)
    expect([release.spec.chart, release.spec.chartRef].filter(Boolean)).toHaveLength(1);
  });
});
