import type { ClusterSpec } from '../../../src/model/cluster';
import { renderInfrastructure } from '../../../src/render/infrastructure';
import { miniFleet } from '../../support/fleet-fixtures';

/** Cluster stage with `progressiveDelivery` as given (and anything else overridden). */
function clusterWith(cluster: Partial<ClusterSpec>) {
  const fleet = miniFleet({ cluster });
  return { fleet, cluster: fleet.clusters[0] };
}

function rolloutsValues(cluster: Partial<ClusterSpec>): any {
  const { fleet, cluster: spec } = clusterWith(cluster);
  const release = renderInfrastructure(fleet, spec).controllers.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'argo-rollouts') as any;
  return release?.spec.values;
}

const codes = (cluster: Partial<ClusterSpec>) => {
  const { fleet, cluster: spec } = clusterWith(cluster);
  const infra = renderInfrastructure(fleet, spec);
  return infra.problems.filter((p) => p.code === 'infra/dashboard-unsupported');
};

describe('Argo Rollouts dashboard (progressiveDelivery.dashboard)', () => {
  it('is off by default', () => {
    expect(rolloutsValues({ progressiveDelivery: { engine: 'argo-rollouts' } }).dashboard).toEqual({ enabled: false });
  });

  it('runs as a ClusterIP Service on 3100, never a LoadBalancer, restricted-compatible', () => {
    // GIVEN the seed's dashboard WHEN rendered THEN the chart runs it privately on the seed's port
    const dashboard = rolloutsValues({ progressiveDelivery: { engine: 'argo-rollouts', dashboard: true } }).dashboard;
    expect(dashboard).toEqual({
      enabled: true,
      service: { type: 'ClusterIP', port: 3100 },
      containerSecurityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
    });
  });

  it('is an error on a Flagger cluster, and where Argo Rollouts is preinstalled (no chart to enable it in)', () => {
    const flagger = codes({ progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' }, dashboard: true } });
    expect(flagger.map((p) => [p.severity, p.place.field])).toEqual([['error', 'progressiveDelivery.dashboard']]);
    expect(flagger[0].message).toContain('runs flagger');
    const preinstalled = codes({ progressiveDelivery: { engine: 'argo-rollouts', dashboard: true }, preinstalled: ['argo-rollouts'] });
    expect(preinstalled.map((p) => p.message)).toEqual(['Argo Rollouts is preinstalled on cluster stage, so the generator renders no chart to enable its dashboard in']);
    expect(codes({ progressiveDelivery: { engine: 'argo-rollouts', dashboard: true } })).toEqual([]);
  });
});
