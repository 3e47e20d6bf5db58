import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { LOADTESTER_NAMESPACE } from '../../model/progressive-delivery';
import { isExternalServiceType } from '../../model/service-exposure';
import type { PeerService, ResolvedService } from '../../model/resolve';
import { servingPodSelector, serviceLabels } from '../labels';
import { type ClusterContext, ingressNamespace } from './cluster-context';
import { appMetricsProvider } from './pod-template';

export interface ServiceNetworkPolicyProps {
  readonly service: ResolvedService;
  /** @default - the environment-neutral base: only callers in the same namespace */
  readonly cluster?: ClusterContext;
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Port of the Istio sidecar's merged Prometheus metrics (pilot-agent). */
export const ISTIO_MERGED_METRICS_PORT = 15020;

/**
 * Admin port of the Linkerd proxy, where Linkerd Viz's Prometheus scrapes `response_total`
 * (linkerd/linkerd2 viz/charts/linkerd-viz/templates/prometheus.yaml, job linkerd-proxy).
 */
export const LINKERD_ADMIN_PORT = 4191;

/** The port Prometheus scrapes for a canary's analysis, when the analysis needs the pods scraped. */
function canaryScrapePort(service: ResolvedService, cluster: ClusterContext): number | undefined {
  if (cluster.mesh === 'istio') return ISTIO_MERGED_METRICS_PORT;
  // Flagger's linkerd provider reads the proxies' metrics (fluxcd/flagger v1.44.0 pkg/metrics/observers/linkerd.go).
  if (cluster.mesh === 'linkerd' && cluster.progressive?.provider === 'linkerd') return LINKERD_ADMIN_PORT;
  if (!appMetricsProvider(cluster.progressive?.provider)) return undefined;
  return (service.ports.find((p) => p.name === service.ingress?.port) ?? service.ports[0])?.port;
}

/** The namespace of an in-cluster Prometheus URL (`http://<service>.<namespace>[.svc…]`). */
function prometheusNamespace(url: string | undefined): string | undefined {
  return /^https?:\/\/[^./:]+\.([^./:]+)/.exec(url ?? '')?.[1];
}

/**
 * Who may talk to a service: the services that declare they `call` it (or address it in an env
 * value), plus the cluster's ingress controller when the service is exposed, and any address on
 * the ports it publishes through a LoadBalancer or NodePort Service. Egress is restricted only when the service
 * asks for it (most still reach databases outside the cluster), and then allows DNS, the
 * services it calls and its declared CIDRs.
 *
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export class ServiceNetworkPolicy extends Construct {
  readonly resource: k8s.KubeNetworkPolicy;

  constructor(scope: Construct, id: string, props: ServiceNetworkPolicyProps) {
    super(scope, id);
    const { service, cluster } = props;
    const ports = service.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port.port), protocol: 'TCP' }));
    const ingress: k8s.NetworkPolicyIngressRule[] = [];
    // On a Flagger cluster every service may have a primary (`<name>-primary`): select both.
    const flagger = cluster?.progressive?.engine === 'flagger';
    const callers = service.callers.map((caller) => peer(caller, service.namespace, flagger));
    if (callers.length > 0 && ports.length > 0) ingress.push({ from: callers, ports });
    const controllerNamespace = cluster ? ingressNamespace(cluster) : undefined;
    if (service.ingress && cluster && ports.length > 0) {
      const fromNamespace = cluster.mesh === 'istio' ? 'istio-system' : controllerNamespace;
      ingress.push({
        // The ALB targets pod IPs directly from the VPC; there is no namespace to select.
        from: fromNamespace ? [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: fromNamespace } } }] : [{ ipBlock: { cidr: '0.0.0.0/0' } }],
        ports,
      });
    }
    const published = externallyPublishedPorts(service);
    if (published.length > 0) {
      // LoadBalancer and NodePort Services bring traffic from outside the cluster (node or
      // load-balancer addresses, often SNATed): no peer to name but any address.
      ingress.push({ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: published.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })) });
    }
    const webhooks = service.canary?.webhooks;
    if (cluster?.progressive?.engine === 'flagger' && ports.length > 0 && (webhooks?.loadTest || (webhooks?.acceptanceTest && !webhooks.acceptanceTest.url))) {
      // flagger-loadtester runs the acceptance and load tests against the canary pods.
      ingress.push({ from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: LOADTESTER_NAMESPACE } } }], ports });
    }
    const metricsNamespace = cluster?.progressive?.engine === 'flagger' && service.canary ? prometheusNamespace(cluster.progressive.metricsServer) : undefined;
    const scrapePort = cluster ? canaryScrapePort(service, cluster) : undefined;
    if (metricsNamespace && scrapePort !== undefined) {
      // Prometheus scrapes what the canary analysis reads: with Istio, the sidecar's merged-metrics
      // port (istio 1.30 injection template: prometheus.io/port 15020); with Linkerd's provider, the
      // proxy's admin port 4191; with the kubernetes and
      // gatewayapi providers, the application's own metrics (pod-template.ts metricsScrapeAnnotations).
      ingress.push({
        from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: metricsNamespace } } }],
        ports: [{ port: k8s.IntOrString.fromNumber(scrapePort), protocol: 'TCP' }],
      });
    }
    const restrictEgress = service.networkPolicy.restrictEgress === true;
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        podSelector: servingPodSelector(service.name, flagger && service.canary !== undefined),
        policyTypes: restrictEgress ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress,
        egress: restrictEgress ? egressRules(service, flagger) : undefined,
      },
    });
  }
}

/** Container ports behind the service's LoadBalancer and NodePort Services, each once. */
function externallyPublishedPorts(service: ResolvedService): number[] {
  const ports = new Set<number>();
  if (isExternalServiceType(service.serviceType)) for (const port of service.ports) ports.add(port.port);
  for (const extra of service.additionalServices) {
    if (isExternalServiceType(extra.type)) for (const port of extra.ports) ports.add(port.containerPort);
  }
  return [...ports].sort((a, b) => a - b);
}

function peer(caller: PeerService, ownNamespace: string | undefined, flagger: boolean): k8s.NetworkPolicyPeer {
  const podSelector = servingPodSelector(caller.name, flagger);
  if (caller.namespace === undefined || caller.namespace === ownNamespace) return { podSelector };
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: caller.namespace } }, podSelector };
}

function egressRules(service: ResolvedService, flagger: boolean): k8s.NetworkPolicyEgressRule[] {
  const dns: k8s.NetworkPolicyEgressRule = {
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [
      { port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' },
      { port: k8s.IntOrString.fromNumber(53), protocol: 'TCP' },
    ],
  };
  const calls = service.calls
    .filter((callee) => callee.ports.length > 0)
    .map((callee) => ({
      to: [peer(callee, service.namespace, flagger)],
      ports: callee.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
    }));
  const cidrs = (service.networkPolicy.egressCidrs ?? []).map((entry) => ({
    to: [{ ipBlock: { cidr: entry.cidr } }],
    ports: entry.ports?.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
  }));
  return [dns, ...calls, ...cidrs];
}
