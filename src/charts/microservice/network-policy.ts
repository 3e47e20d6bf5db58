import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { LOADTESTER_NAMESPACE } from '../../model/progressive-delivery';
import { isExternalServiceType } from '../../model/service-exposure';
import type { PeerService, ResolvedService } from '../../model/resolve';
import { selectorLabels, serviceLabels } from '../labels';
import { type ClusterContext, ingressNamespace } from './cluster-context';

export interface ServiceNetworkPolicyProps {
  readonly service: ResolvedService;
  /** @default - the environment-neutral base: only callers in the same namespace */
  readonly cluster?: ClusterContext;
}

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

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
    const callers = service.callers.map((caller) => peer(caller, service.namespace));
    if (callers.length > 0 && ports.length > 0) ingress.push({ from: callers, ports });
    const controllerNamespace = cluster ? ingressNamespace(cluster.ingress) : undefined;
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
    const restrictEgress = service.networkPolicy.restrictEgress === true;
    this.resource = new k8s.KubeNetworkPolicy(this, 'Resource', {
      metadata: { name: service.name, namespace: service.namespace, labels: serviceLabels(service.name, service.system, service.labels) },
      spec: {
        podSelector: { matchLabels: selectorLabels(service.name) },
        policyTypes: restrictEgress ? ['Ingress', 'Egress'] : ['Ingress'],
        ingress,
        egress: restrictEgress ? egressRules(service) : undefined,
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

function peer(caller: PeerService, ownNamespace: string | undefined): k8s.NetworkPolicyPeer {
  const podSelector = { matchLabels: selectorLabels(caller.name) };
  if (caller.namespace === undefined || caller.namespace === ownNamespace) return { podSelector };
  return { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: caller.namespace } }, podSelector };
}

function egressRules(service: ResolvedService): k8s.NetworkPolicyEgressRule[] {
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
      to: [peer(callee, service.namespace)],
      ports: callee.ports.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
    }));
  const cidrs = (service.networkPolicy.egressCidrs ?? []).map((entry) => ({
    to: [{ ipBlock: { cidr: entry.cidr } }],
    ports: entry.ports?.map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
  }));
  return [dns, ...calls, ...cidrs];
}
