import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ingressPort, type ResolvedService } from '../../model/resolve';
import { istioRetryOn } from '../../model/traffic';
import { serviceLabels, MANAGED_BY, MANAGED_BY_LABEL } from '../labels';
import { ISTIO_GATEWAY } from './canary';

/**
 * Istio routing objects. Istio's CRDs are not among the imported schemas, so these are typed
 * here by hand, limited to the fields the generator sets.
 */
interface HttpRoute {
  readonly match?: { readonly uri: { readonly prefix: string } }[];
  readonly route: { readonly destination: { readonly host: string; readonly port: { readonly number: number } } }[];
  readonly timeout?: string;
  readonly retries?: { readonly attempts: number; readonly perTryTimeout?: string; readonly retryOn: string };
}

export interface ServiceVirtualServiceProps {
  readonly service: ResolvedService;
}

/**
 * A VirtualService for a service that is not canaried on an Istio cluster: binds its external
 * hosts to the shared Gateway and carries its retries and timeout (for canaried services Flagger
 * writes the VirtualService from the Canary instead). This is where App Mesh retry policies go.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/virtual-service/
 */
export class ServiceVirtualService extends Construct {
  constructor(scope: Construct, id: string, props: ServiceVirtualServiceProps) {
    super(scope, id);
    const { service } = props;
    const port = ingressPort(service, service.ingress);
    const host = `${service.name}.${service.namespace}.svc.cluster.local`;
    const retries = service.traffic?.retries;
    const route: HttpRoute = {
      match: service.ingress && !(service.ingress.paths.length === 1 && service.ingress.paths[0] === '/') ? service.ingress.paths.map((prefix) => ({ uri: { prefix } })) : undefined,
      route: [{ destination: { host, port: { number: port.servicePort } } }],
      timeout: service.traffic?.timeout,
      retries: retries ? { attempts: retries.attempts, perTryTimeout: retries.perTryTimeout, retryOn: istioRetryOn(retries) } : undefined,
    };
    new ApiObject(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        hosts: service.ingress ? [...service.ingress.hosts, service.name] : [service.name],
        gateways: service.ingress ? [ISTIO_GATEWAY, 'mesh'] : ['mesh'],
        http: [route],
      },
    });
  }
}

export interface PublicGatewayProps {
  /** Secret in istio-system with the certificate for the hosts. @default 'public-gateway-tls' */
  readonly credentialName?: string;
}

/**
 * The shared Istio ingress Gateway (`istio-system/public-gateway`) that exposed services and
 * canaries bind their hosts to; HTTP redirects to HTTPS.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/gateway/
 */
export class PublicGateway extends Construct {
  constructor(scope: Construct, id: string, props: PublicGatewayProps = {}) {
    super(scope, id);
    const [namespace, name] = ISTIO_GATEWAY.split('/');
    new ApiObject(this, 'Resource', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name, namespace, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [
          { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'], tls: { httpsRedirect: true } },
          { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: props.credentialName ?? 'public-gateway-tls' } },
        ],
      },
    });
  }
}
