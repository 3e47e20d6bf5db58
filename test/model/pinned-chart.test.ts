import { CHARTS } from '../../src/model/controller-versions';
import { pinnedChart } from '../../src/model/helm-app';

describe('pinnedChart: a Helm app on a chart pinned in controller-versions', () => {
  it('references a classic Helm repository with the exact pinned version', () => {
    expect(pinnedChart(CHARTS['kube-prometheus-stack'])).toEqual({ helmRepository: 'https://prometheus-community.github.io/helm-charts', name: 'kube-prometheus-stack', version: '87.14.0' });
  });

  it('references an OCI pin by its registry path, which the Helm app joins with the chart name again', () => {
    // CHARTS.flagger.repository.url is oci://ghcr.io/fluxcd/charts/flagger (the artifact itself).
    expect(pinnedChart(CHARTS.flagger)).toEqual({ ociRepository: 'oci://ghcr.io/fluxcd/charts', name: 'flagger', version: CHARTS.flagger.version });
  });
});
