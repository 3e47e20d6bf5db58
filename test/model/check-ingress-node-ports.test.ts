import { checkFleet } from '../../src/model/check-model';
import { INVALID_INGRESS_NODE_PORT } from '../../src/model/check-ingress-node-ports';
import type { IngressControllerSpec } from '../../src/model/cluster';
import { miniFleet } from '../support/fleet-fixtures';

/** The problems `ingress.nodePorts` gets on miniFleet's EKS cluster `stage` with this ingress. */
function nodePortProblems(ingress: IngressControllerSpec) {
  return checkFleet(miniFleet({ cluster: { ingress } })).filter((p) => p.code === INVALID_INGRESS_NODE_PORT);
}

describe('ingress.nodePorts (a load balancer outside the cluster targets the nodes)', () => {
  it("accepts seed 004's ports on Traefik and on nginx", () => {
    // GIVEN the ALB target group's port 30080 (and 30443 for HTTPS) / WHEN checked / THEN no problem
    expect(nodePortProblems({ controller: 'traefik', nodePorts: { http: 30080, https: 30443 } })).toEqual([]);
    expect(nodePortProblems({ controller: 'nginx', nodePorts: { http: 30080 } })).toEqual([]);
  });

  it.each([29999, 32768, 80, 30080.5])('rejects node port %p, which the API server refuses', (port) => {
    const [problem, ...rest] = nodePortProblems({ controller: 'traefik', nodePorts: { http: 30080, https: port } });
    expect(rest).toEqual([]);
    expect(problem.place).toMatchObject({ cluster: 'stage', field: 'ingress.nodePorts.https' });
    expect(problem.message).toContain('30000-32767');
    expect(problem.fix).toContain('target group');
  });

  it('rejects HTTP and HTTPS on one node port', () => {
    const [problem, ...rest] = nodePortProblems({ controller: 'traefik', nodePorts: { http: 30080, https: 30080 } });
    expect(rest).toEqual([]);
    expect(problem.place.field).toBe('ingress.nodePorts.https');
  });

  it.each(['alb', 'istio'] as const)('rejects node ports on a %s cluster, whose ingress has no Service of the generator', (controller) => {
    const [problem, ...rest] = nodePortProblems({ controller, nodePorts: { http: 30080 } });
    expect(rest).toEqual([]);
    expect(problem.place.field).toBe('ingress.nodePorts');
    expect(problem.message).toContain(controller);
  });
});
