import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { ResolvedIngress, ResolvedService } from '../../model/resolve';
import { serviceLabels } from '../labels';
import type { ClusterContext } from './cluster-context';
import { sortedRecord } from './pod-template';

export interface ServiceIngressProps {
  readonly service: ResolvedService;
  readonly ingress: ResolvedIngress;
  readonly cluster: ClusterContext;
  /** Service the ingress routes to. @default - the service's own Service */
  readonly backendService?: string;
}

/**
 * A networking.k8s.io/v1 Ingress for the cluster's controller: Traefik, ingress-nginx, or the
 * AWS Load Balancer Controller (ALB, IP targets, HTTPS with an ACM certificate, hosts published
 * by ExternalDNS). Hosts come from the environment's pattern, so they differ per environment
 * (`inventory-api-development.<domain>` vs `inventory-api.<domain>`) without hand edits.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export class ServiceIngress extends Construct {
  readonly resource: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: ServiceIngressProps) {
    super(scope, id);
    const { service, ingress, cluster } = props;
    const backend: k8s.IngressBackend = { service: { name: props.backendService ?? service.name, port: typeof ingress.port === 'number' ? { number: ingress.port } : { name: ingress.port } } };
    const tls = ingress.tlsSecretName !== undefined;
    this.resource = new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: service.name,
        namespace: service.namespace,
        labels: serviceLabels(service.name, service.system, service.labels),
        annotations: sortedRecord(controllerAnnotations(service, ingress, cluster)),
      },
      spec: {
        ingressClassName: cluster.ingress.className,
        // The ALB terminates TLS with ACM certificates found by host; other controllers read the Secret.
        tls: tls ? [{ hosts: [...ingress.hosts], secretName: cluster.ingress.controller === 'alb' ? undefined : ingress.tlsSecretName }] : undefined,
        rules: ingress.hosts.map((host) => ({
          host,
          http: { paths: ingress.paths.map((path) => ({ path, pathType: 'Prefix', backend })) },
        })),
      },
    });
  }
}

export function controllerAnnotations(service: ResolvedService, ingress: ResolvedIngress, cluster: ClusterContext): Record<string, string> {
  const tls = ingress.tlsSecretName !== undefined;
  const annotations: Record<string, string> = {};
  if (cluster.ingress.externalDns) annotations['external-dns.alpha.kubernetes.io/hostname'] = ingress.hosts.join(',');
  switch (cluster.ingress.controller) {
    case 'alb': {
      annotations['alb.ingress.kubernetes.io/scheme'] = 'internet-facing';
      annotations['alb.ingress.kubernetes.io/target-type'] = 'ip';
      // One ALB per group instead of one per Ingress: cheaper, and hosts share listeners. The
      // group is the cluster's `albGroup` (an ALB shared with Ingresses outside the fleet), else
      // the namespace (kubernetes-sigs/aws-load-balancer-controller docs/guide/ingress/annotations.md, IngressGroup).
      annotations['alb.ingress.kubernetes.io/group.name'] = cluster.ingress.albGroup ?? service.namespace ?? service.system;
      annotations['alb.ingress.kubernetes.io/listen-ports'] = tls ? '[{"HTTP":80},{"HTTPS":443}]' : '[{"HTTP":80}]';
      if (tls) annotations['alb.ingress.kubernetes.io/ssl-redirect'] = '443';
      if (tls && cluster.ingress.certificateArn) annotations['alb.ingress.kubernetes.io/certificate-arn'] = cluster.ingress.certificateArn;
      const health = service.probes.readiness?.http?.path;
      if (health) annotations['alb.ingress.kubernetes.io/healthcheck-path'] = health;
      break;
    }
    case 'traefik':
      annotations['traefik.ingress.kubernetes.io/router.entrypoints'] = tls ? 'websecure' : 'web';
      if (tls) annotations['traefik.ingress.kubernetes.io/router.tls'] = 'true';
      break;
    case 'nginx':
      if (tls) annotations['nginx.ingress.kubernetes.io/ssl-redirect'] = 'true';
      break;
    case 'istio':
      break;
  }
  return annotations;
}
