import { traefikService } from '../../src/charts/infrastructure/traefik';
import { planInfrastructure } from '../../src/render/infrastructure';
import { miniFleet } from '../support/fleet-fixtures';
import { renderOk } from '../support/render-to-dir';

describe('an ingress controller on fixed node ports', () => {
  it('renders Traefik as a NodePort Service on the given ports, without the NLB annotations', () => {
    // GIVEN an EKS cluster whose external ALB targets node port 30080
    const fleet = miniFleet({ cluster: { ingress: { controller: 'traefik', nodePorts: { http: 30080, https: 30443 } } } });
    // WHEN rendered
    const release: any = renderOk(fleet).clusters[0].objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'traefik');
    // THEN Traefik's entry points listen on those node ports
    expect(release.spec.values.service).toEqual({ annotations: {}, type: 'NodePort' });
    expect(release.spec.values.ports).toEqual({ web: { nodePort: 30080 }, websecure: { nodePort: 30443 } });
  });

  it('keeps the LoadBalancer Service (and its annotations) without node ports', () => {
    expect(traefikService({ serviceAnnotations: { a: 'b' } })).toEqual({ service: { annotations: { a: 'b' } } });
    expect(traefikService({ nodePorts: { http: 30080 } })).toEqual({ service: { annotations: {}, type: 'NodePort' }, ports: { web: { nodePort: 30080 } } });
  });

  it('needs no AWS Load Balancer Controller on EKS when the controller is behind node ports', () => {
    const behindAlb = miniFleet({ cluster: { ingress: { controller: 'traefik', nodePorts: { http: 30080 } } } });
    const withNlb = miniFleet();
    expect(planInfrastructure(behindAlb, behindAlb.clusters[0]).rendered).not.toContain('aws-load-balancer-controller');
    expect(planInfrastructure(withNlb, withNlb.clusters[0]).rendered).toContain('aws-load-balancer-controller');
  });

  it('renders ingress-nginx with the chart\'s controller.service.nodePorts', () => {
    const fleet = miniFleet({ cluster: { ingress: { controller: 'nginx', nodePorts: { http: 30080, https: 30443 } } } });
    const release: any = renderOk(fleet).clusters[0].objects.find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'ingress-nginx');
    expect(release.spec.values.controller.service).toEqual({ annotations: {}, type: 'NodePort', nodePorts: { http: 30080, https: 30443 } });
  });
});
