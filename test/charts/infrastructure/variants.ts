import type { ClusterSpec } from '../../../src/model/cluster';
import type { FleetSpec } from '../../../src/model/fleet';
import type { KubeObject } from '../../../src/model/kube-object';
import { renderInfrastructure, type ClusterInfrastructure, type InfrastructureOptions } from '../../../src/render/infrastructure';
import { miniFleet } from '../../support/fleet-fixtures';

/** AWS facts of a test EKS cluster. */
export const AWS = { region: 'eu-west-1', accountId: '123456789012', vpcId: 'vpc-0123456789abcdef0', dnsZone: 'shop.test' } as const;

/** A fleet of one EKS cluster with the given capabilities (on top of miniFleet's defaults). */
export function fleetWith(cluster: Partial<ClusterSpec> = {}, service: Parameters<typeof miniFleet>[0] = {}): FleetSpec {
  return miniFleet({ ...service, cluster: { aws: AWS, ...cluster } });
}

export function infrastructureOf(cluster: Partial<ClusterSpec> = {}, options: InfrastructureOptions = {}, service: Parameters<typeof miniFleet>[0] = {}): ClusterInfrastructure {
  const fleet = fleetWith(cluster, service);
  return renderInfrastructure(fleet, fleet.clusters[0], options);
}

export function ofKind(objects: readonly KubeObject[], kind: string): KubeObject[] {
  return objects.filter((obj) => obj.kind === kind);
}

export function named(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): KubeObject | undefined {
  return objects.find((obj) => obj.kind === kind && obj.metadata.name === name && (namespace === undefined || obj.metadata.namespace === namespace));
}

/** HelmRelease names, `namespace/name`, sorted. */
export function releases(objects: readonly KubeObject[]): string[] {
  return ofKind(objects, 'HelmRelease')
    .map((obj) => `${obj.metadata.namespace}/${obj.metadata.name}`)
    .sort();
}

/**
 * Capability combinations covering every controller and every value branch: each ingress
 * controller, mesh, secrets backend, engine and metrics source, on EKS, GKE and generic.
 */
export const VARIANTS: Readonly<Record<string, { cluster: Partial<ClusterSpec>; options?: InfrastructureOptions }>> = {
  'eks traefik flagger+prometheus sealed-secrets': {
    cluster: {
      ingress: { controller: 'traefik', externalDns: true },
      progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } },
      secrets: { backend: 'sealed-secrets', certificate: 'x.pem' },
    },
    options: { loadTester: true },
  },
  'eks nginx istio flagger': {
    cluster: { ingress: { controller: 'nginx' }, mesh: 'istio', progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } } },
    options: { loadTester: true },
  },
  'eks alb argo-rollouts sops': {
    cluster: {
      ingress: { controller: 'alb', className: 'public' },
      // Spot nodes (seed 001): aws-node-termination-handler in kube-system.
      aws: { ...AWS, nodeTerminationHandler: true },
      progressiveDelivery: { engine: 'argo-rollouts', metrics: { prometheus: 'http://prom:9090' } },
      secrets: { backend: 'sops', ageRecipient: 'age1x' },
    },
  },
  'eks istio ingress': { cluster: { ingress: { controller: 'istio' }, progressiveDelivery: { engine: 'flagger' } } },
  'gke traefik istio-mesh': { cluster: { provider: 'gke', ingress: { controller: 'traefik' }, mesh: 'istio', aws: undefined } },
  'generic linkerd flagger': {
    cluster: { provider: 'generic', ingress: { controller: 'nginx' }, mesh: 'linkerd', aws: undefined, progressiveDelivery: { engine: 'flagger', metrics: { install: 'prometheus' } } },
    options: { loadTester: true },
  },
  'eks flagger preinstalled, load tester rendered': {
    cluster: { progressiveDelivery: { engine: 'flagger' }, preinstalled: ['flagger'], argocd: {} },
    options: { loadTester: true },
  },
};
