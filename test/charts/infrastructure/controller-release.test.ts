import { Testing } from 'cdk8s';
import type { ChartPin } from '../../../src/model/controller-versions';
import { ChartSource } from '../../../src/charts/infrastructure/chart-source';
import { ControllerRelease } from '../../../src/charts/infrastructure/helm-release';
import { FLUX_PRUNE_ANNOTATION, PRUNE_REASON_ANNOTATION } from '../../../src/charts/infrastructure/prune-protection';
import type { KubeObject } from '../../../src/model/kube-object';

const HELM_PIN: ChartPin = { chart: 'demo', version: '1.2.3', repository: { type: 'helm', name: 'demo-charts', url: 'https://charts.demo.test' }, see: 'test' };
const OCI_PIN: ChartPin = {
  chart: 'demo',
  version: '4.5.6',
  repository: { type: 'oci', url: 'oci://ghcr.io/demo/charts/demo', cosign: { issuer: '^https://issuer$', subject: '^https://github.com/demo/.*$' } },
  see: 'test',
};

function synth(pin: ChartPin, extra: Partial<ConstructorParameters<typeof ControllerRelease>[2]> = {}): KubeObject[] {
  const chart = Testing.chart();
  const source = new ChartSource(chart, 'source', { namespace: 'demo', pin });
  new ControllerRelease(chart, 'release', { name: 'demo', namespace: 'demo', pin, source, values: { replicas: 2 }, ...extra });
  return Testing.synth(chart) as KubeObject[];
}

describe('ControllerRelease and ChartSource', () => {
  it('pins a classic Helm chart to its exact version through a HelmRepository in the same namespace', () => {
    // GIVEN a chart from a Helm repository WHEN the release is synthesised
    const [repository, release] = synth(HELM_PIN);

    // THEN the HelmRepository and the HelmRelease agree on name and namespace
    expect(repository).toMatchObject({ kind: 'HelmRepository', metadata: { name: 'demo-charts', namespace: 'demo' }, spec: { url: 'https://charts.demo.test', interval: '1h' } });
    expect(release).toMatchObject({
      kind: 'HelmRelease',
      metadata: { name: 'demo', namespace: 'demo' },
      spec: {
        releaseName: 'demo',
        chart: { spec: { chart: 'demo', version: '1.2.3', sourceRef: { kind: 'HelmRepository', name: 'demo-charts' } } },
        values: { replicas: 2 },
      },
    });
  });

  it('installs and upgrades CRDs, retries installs and rolls back failed upgrades', () => {
    const [, release] = synth(HELM_PIN, { retries: 5, timeout: '10m' });
    expect(release.spec).toMatchObject({
      timeout: '10m',
      install: { crds: 'CreateReplace', remediation: { retries: 5 } },
      upgrade: { crds: 'CreateReplace', cleanupOnFail: true, remediation: { retries: 5, remediateLastFailure: true } },
    });
  });

  it('references an OCI chart with chartRef, the tag pinned and the signature verified', () => {
    // GIVEN a signed OCI chart
    const [repository, release] = synth(OCI_PIN);

    // THEN the OCIRepository selects the chart layer of the pinned tag and verifies it with cosign
    expect(repository).toMatchObject({
      kind: 'OCIRepository',
      metadata: { name: 'demo', namespace: 'demo' },
      spec: {
        url: 'oci://ghcr.io/demo/charts/demo',
        ref: { tag: '4.5.6' },
        layerSelector: { mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip', operation: 'copy' },
        verify: { provider: 'cosign', matchOIDCIdentity: [{ issuer: '^https://issuer$', subject: '^https://github.com/demo/.*$' }] },
      },
    });
    expect(release.spec).toMatchObject({ chartRef: { kind: 'OCIRepository', name: 'demo' } });
    expect((release.spec as Record<string, unknown>).chart).toBeUndefined();
  });

  it('renders dependsOn with namespaces, and prune protection with its reason', () => {
    const [, release] = synth(HELM_PIN, { dependsOn: [{ name: 'base', namespace: 'other' }], pruneProtection: { reason: 'keeps the data' }, argocd: true });
    expect(release.spec).toMatchObject({ dependsOn: [{ name: 'base', namespace: 'other' }] });
    expect(release.metadata.annotations).toEqual({
      [FLUX_PRUNE_ANNOTATION]: 'disabled',
      [PRUNE_REASON_ANNOTATION]: 'keeps the data',
      'argocd.argoproj.io/sync-options': 'Prune=false',
    });
  });

  it('leaves unprotected releases prunable', () => {
    const [, release] = synth(HELM_PIN);
    expect(release.metadata.annotations).toBeUndefined();
    expect((release.spec as Record<string, unknown>).dependsOn).toBeUndefined();
  });

  it('refuses a source from another namespace (it would need a cross-namespace reference)', () => {
    const chart = Testing.chart();
    const source = new ChartSource(chart, 'source', { namespace: 'flux-system', pin: HELM_PIN });
    expect(() => new ControllerRelease(chart, 'release', { name: 'demo', namespace: 'demo', pin: HELM_PIN, source, values: {} })).toThrow(/flux-system/);
  });
});
