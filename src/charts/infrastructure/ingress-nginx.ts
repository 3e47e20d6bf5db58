import { Construct } from 'constructs';
import type { IngressNodePorts, MeshKind } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { INGRESS_CONTROLLER_NAMESPACE } from '../microservice/cluster-context';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease, type ReleaseRef } from './helm-release';

export const INGRESS_NGINX = 'ingress-nginx';
export const INGRESS_NGINX_NAMESPACE = INGRESS_CONTROLLER_NAMESPACE.nginx;
/** Port of the controller's Prometheus metrics, which Flagger's nginx provider analyses. */
export const INGRESS_NGINX_METRICS_PORT = 10254;

export interface IngressNginxValues {
  readonly controller: {
    readonly replicaCount: number;
    readonly ingressClass: string;
    readonly ingressClassResource: { readonly name: string; readonly enabled: true; readonly default: boolean; readonly controllerValue: string };
    /** Snippet annotations let any namespace inject nginx configuration (CVE-2021-25742, CVE-2025-1974). */
    readonly allowSnippetAnnotations: false;
    readonly metrics: { readonly enabled: true };
    readonly podAnnotations: Readonly<Record<string, string>>;
    readonly publishService: { readonly enabled: true };
    /** kubernetes/ingress-nginx charts/ingress-nginx values.yaml: `controller.service.type`, `controller.service.nodePorts.{http,https}`. */
    readonly service: { readonly annotations: Readonly<Record<string, string>>; readonly type?: 'NodePort'; readonly nodePorts?: { readonly http: number; readonly https?: number } };
  };
}

export interface IngressNginxProps {
  readonly className: string;
  readonly mesh: MeshKind;
  /** Annotations of the controller's LoadBalancer Service (an NLB on EKS). @default {} */
  readonly serviceAnnotations?: Readonly<Record<string, string>>;
  /** A NodePort Service on these ports instead of a LoadBalancer. @default - a LoadBalancer Service */
  readonly nodePorts?: IngressNodePorts;
  /** @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * The community ingress-nginx controller.
 *
 * Retired upstream in March 2026 (no more releases or security fixes): rendering it still works,
 * and the infrastructure plan warns every cluster that chooses it.
 *
 * @see https://kubernetes.github.io/ingress-nginx/deploy/#quick-start
 */
export class IngressNginx extends Construct {
  readonly release: ControllerRelease<IngressNginxValues>;

  constructor(scope: Construct, id: string, props: IngressNginxProps) {
    super(scope, id);
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: INGRESS_NGINX_NAMESPACE,
      podSecurity: { level: 'baseline', reason: 'nginx binds ports 80/443 itself and keeps NET_BIND_SERVICE with privilege escalation allowed, which restricted forbids' },
      mesh: props.mesh,
      argocd: props.argocd,
    }).name;
    const pin = CHARTS['ingress-nginx'];
    this.release = new ControllerRelease(this, 'Release', {
      name: INGRESS_NGINX,
      namespace,
      pin,
      dependsOn: props.dependsOn,
      argocd: props.argocd,
      values: {
        controller: {
          replicaCount: 2,
          ingressClass: props.className,
          ingressClassResource: { name: props.className, enabled: true, default: true, controllerValue: 'k8s.io/ingress-nginx' },
          allowSnippetAnnotations: false,
          metrics: { enabled: true },
          podAnnotations: { 'prometheus.io/port': String(INGRESS_NGINX_METRICS_PORT), 'prometheus.io/scrape': 'true' },
          publishService: { enabled: true },
          service: props.nodePorts ? { annotations: {}, type: 'NodePort', nodePorts: { ...props.nodePorts } } : { annotations: { ...props.serviceAnnotations } },
        },
      },
    });
  }
}
