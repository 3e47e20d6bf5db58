import type { ClusterSpec } from '../../src/model/cluster';
import { checkFleet } from '../../src/model/check-model';
import { miniFleet } from '../support/fleet-fixtures';
import { renderOk } from '../support/render-to-dir';

function albCluster(ingress: Partial<ClusterSpec['ingress']>): Partial<ClusterSpec> {
  return { ingress: { controller: 'alb', ...ingress } as ClusterSpec['ingress'], platformSecrets: [] };
}

const codesOf = (cluster: Partial<ClusterSpec>) => checkFleet(miniFleet({ cluster })).filter((p) => p.code.includes('alb-group'));

function ingressAnnotations(cluster: Partial<ClusterSpec>): Record<string, string> {
  const ingress = renderOk(miniFleet({ cluster })).clusters[0].objects.find((o) => o.kind === 'Ingress') as any;
  return ingress.metadata.annotations;
}

describe('ALB IngressGroup (ingress.albGroup)', () => {
  it("joins the cluster's group, e.g. an ALB shared with a monolith outside the fleet", () => {
    expect(ingressAnnotations(albCluster({ albGroup: 'travelbuddy' }))['alb.ingress.kubernetes.io/group.name']).toBe('travelbuddy');
  });

  it('defaults to one group per namespace', () => {
    expect(ingressAnnotations(albCluster({}))['alb.ingress.kubernetes.io/group.name']).toBe('shop');
  });

  it('rejects a name the AWS Load Balancer Controller does not accept', () => {
    for (const name of ['TravelBuddy', '-travelbuddy', 'travel_buddy', 'a'.repeat(64), 'buddy.']) {
      const [problem, ...rest] = codesOf(albCluster({ albGroup: name }));
      expect(rest).toEqual([]);
      expect(problem).toMatchObject({ code: 'model/invalid-alb-group', severity: 'error', place: { cluster: 'stage', field: 'ingress.albGroup', definition: 'test/clusters.ts' } });
    }
    for (const name of ['travelbuddy', 'travel-buddy.prod', '0', 'a'.repeat(63)]) expect(codesOf(albCluster({ albGroup: name }))).toEqual([]);
  });

  it('is an error on a cluster whose ingress is not the ALB', () => {
    const [problem] = codesOf({ ingress: { controller: 'traefik', albGroup: 'travelbuddy' } });
    expect(problem).toMatchObject({ code: 'model/alb-group-without-alb', place: { field: 'ingress.albGroup' } });
    expect(problem.message).toContain('traefik');
  });
});
