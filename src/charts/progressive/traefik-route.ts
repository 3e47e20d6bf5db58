import { Construct } from 'constructs';
import { IngressRoute, IngressRouteSpecRoutesKind, IngressRouteSpecRoutesServicesKind, IngressRouteSpecRoutesServicesPort } from '../../../imports/traefik-ingressroute-traefik.io';
import { ingressPort, type ResolvedIngress, type ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';

export interface CanaryIngressRouteProps {
  readonly service: ResolvedService;
  readonly ingress: ResolvedIngress;
}

/**
 * The entry object of a canaried service on Traefik: an IngressRoute to the TraefikService
 * `<name>` that Flagger generates and re-weights between `<name>-primary` and `<name>-canary`.
 * (A plain Ingress cannot point at a TraefikService.)
 *
 * @see https://docs.flagger.app/tutorials/traefik-progressive-delivery
 */
export class CanaryIngressRoute extends Construct {
  readonly resource: IngressRoute;

  constructor(scope: Construct, id: string, props: CanaryIngressRouteProps) {
    super(scope, id);
    const { service, ingress } = props;
    const tls = ingress.tlsSecretName !== undefined;
    const hosts = ingress.hosts.map((host) => `Host(\`${host}\`)`).join(' || ');
    const paths = ingress.paths.map((path) => `PathPrefix(\`${path}\`)`).join(' || ');
    this.resource = new IngressRoute(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        entryPoints: [tls ? 'websecure' : 'web'],
        routes: [
          {
            kind: IngressRouteSpecRoutesKind.RULE,
            match: ingress.paths.length === 1 && ingress.paths[0] === '/' ? `(${hosts})` : `(${hosts}) && (${paths})`,
            services: [
              {
                kind: IngressRouteSpecRoutesServicesKind.TRAEFIK_SERVICE,
                name: service.name,
                port: IngressRouteSpecRoutesServicesPort.fromNumber(ingressPort(service, ingress)?.servicePort ?? 80),
              },
            ],
          },
        ],
        tls: tls ? { secretName: ingress.tlsSecretName } : undefined,
      },
    });
  }
}
