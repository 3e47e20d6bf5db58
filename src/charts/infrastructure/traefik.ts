import { Construct } from 'constructs';
import type { IngressNodePorts, MeshKind } from '../../model/cluster';
import { CHARTS } from '../../model/controller-versions';
import { INGRESS_CONTROLLER_NAMESPACE } from '../microservice/cluster-context';
import { ControllerNamespace } from './controller-namespace';
import { ControllerRelease, type ReleaseRef } from './helm-release';

export const TRAEFIK = 'traefik';
export const TRAEFIK_NAMESPACE = INGRESS_CONTROLLER_NAMESPACE.traefik;
/** Port of Traefik's `metrics` entry point, scraped by Prometheus for canary analysis. */
export const TRAEFIK_METRICS_PORT = 9100;

export interface TraefikValues {
  readonly deployment: { readonly replicas: number; readonly podAnnotations: Readonly<Record<string, string>> };
  readonly ingressClass: { readonly enabled: true; readonly isDefaultClass: boolean; readonly name: string };
  /** Ingress status shows the load balancer's address, which ExternalDNS publishes. */
  readonly providers: { readonly kubernetesIngress: { readonly publishedService: { readonly enabled: true } } };
  readonly service: { readonly annotations: Readonly<Record<string, string>>; readonly type?: 'NodePort' };
  /** Fixed node ports of the entry points (traefik-helm-chart values.yaml: `ports.<name>.nodePort`). */
  readonly ports?: { readonly web: { readonly nodePort: number }; readonly websecure?: { readonly nodePort: number } };
  /** Per-service labels are what Flagger's traefik provider queries. */
  readonly metrics: { readonly prometheus: { readonly addEntryPointsLabels: true; readonly addServicesLabels: true } };
  readonly podDisruptionBudget: { readonly enabled: true; readonly maxUnavailable: number };
}

export interface TraefikProps {
  /** IngressClass name the services' Ingresses use. */
  readonly className: string;
  readonly mesh: MeshKind;
  /** Annotations of Traefik's LoadBalancer Service (an NLB on EKS). @default {} */
  readonly serviceAnnotations?: Readonly<Record<string, string>>;
  /**
   * A NodePort Service on these ports instead of a LoadBalancer (for a load balancer made outside
   * the cluster that targets the nodes); `serviceAnnotations` are then not set.
   * @default - a LoadBalancer Service
   */
  readonly nodePorts?: IngressNodePorts;
  /** Releases that must be Ready first (the AWS Load Balancer Controller on EKS). @default [] */
  readonly dependsOn?: readonly ReleaseRef[];
  /** @default false */
  readonly argocd?: boolean;
}

/**
 * Traefik Proxy serving the cluster's Ingresses (and IngressRoutes, whose CRDs its chart
 * installs), with the Prometheus metrics Flagger's traefik provider analyses.
 *
 * @see https://doc.traefik.io/traefik/getting-started/install-traefik/#use-the-helm-chart
 */
export class Traefik extends Construct {
  readonly release: ControllerRelease<TraefikValues>;

  constructor(scope: Construct, id: string, props: TraefikProps) {
    super(scope, id);
    const namespace = new ControllerNamespace(this, 'Namespace', {
      name: TRAEFIK_NAMESPACE,
      podSecurity: {
        level: 'restricted',
        reason: 'the chart runs Traefik non-root on unprivileged ports (8000/8443) with every capability dropped, a read-only root filesystem and the RuntimeDefault seccomp profile',
      },
      mesh: props.mesh,
      argocd: props.argocd,
    }).name;
    const pin = CHARTS.traefik;
    this.release = new ControllerRelease(this, 'Release', {
      name: TRAEFIK,
      namespace,
      pin,
      dependsOn: props.dependsOn,
      argocd: props.argocd,
      values: {
        deployment: {
          replicas: 2,
          podAnnotations: { 'prometheus.io/path': '/metrics', 'prometheus.io/port': String(TRAEFIK_METRICS_PORT), 'prometheus.io/scrape': 'true' },
        },
        ingressClass: { enabled: true, isDefaultClass: true, name: props.className },
        providers: { kubernetesIngress: { publishedService: { enabled: true } } },
        ...traefikService(props),
        metrics: { prometheus: { addEntryPointsLabels: true, addServicesLabels: true } },
        podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
      },
    });
  }
}

/**
 * Traefik's Service: a LoadBalancer by default; with node ports a NodePort Service whose `web`
 * (HTTP, container port 8000) and `websecure` (HTTPS, 8443) entry points listen on the given
 * node ports (traefik/traefik-helm-chart v41 values.yaml: `service.type`, `ports.web.nodePort`,
 * `ports.websecure.nodePort`).
 */
export function traefikService(props: Pick<TraefikProps, 'nodePorts' | 'serviceAnnotations'>): Pick<TraefikValues, 'service' | 'ports'> {
  const nodePorts = props.nodePorts;
  if (!nodePorts) return { service: { annotations: { ...props.serviceAnnotations } } };
  const websecure = nodePorts.https === undefined ? {} : { websecure: { nodePort: nodePorts.https } };
  return { service: { annotations: {}, type: 'NodePort' }, ports: { web: { nodePort: nodePorts.http }, ...websecure } };
}
