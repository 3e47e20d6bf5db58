import type { ClusterSpec, ProgressiveDeliverySpec } from './cluster';
import type { EnvironmentSpec } from './environment';
import type { FleetSpec } from './fleet';
import { fleetIndex } from './fleet-index';
import { environmentOf } from './resolve';
import type { CanarySpec } from './canary';

export type FlaggerProvider = NonNullable<ProgressiveDeliverySpec['provider']>;

/**
 * Flagger's routing provider for a cluster: what the cluster declares, else the mesh (it owns
 * service-to-service routing), else the ingress controller. The ALB has no Flagger provider, so
 * ALB clusters get 'kubernetes' (blue/green by switching the apex Service's selector).
 */
export function flaggerProvider(cluster: ClusterSpec): FlaggerProvider {
  if (cluster.progressiveDelivery?.provider) return cluster.progressiveDelivery.provider;
  if (cluster.mesh === 'istio' || cluster.mesh === 'linkerd') return cluster.mesh;
  switch (cluster.ingress.controller) {
    case 'traefik':
      return 'traefik';
    case 'nginx':
      return 'nginx';
    case 'alb':
      return 'kubernetes';
    case 'istio':
      return 'istio';
    case 'gateway-api':
      return 'gatewayapi';
  }
}

/** In-cluster Prometheus rendered by the infrastructure when `metrics: { install: 'prometheus' }`. */
export const IN_CLUSTER_PROMETHEUS = 'http://prometheus-server.monitoring.svc.cluster.local';

/** Where canary analysis queries metrics; undefined when the cluster declares no source. */
export function metricsServer(cluster: ClusterSpec): string | undefined {
  const metrics = cluster.progressiveDelivery?.metrics;
  if (!metrics) return undefined;
  return 'prometheus' in metrics ? metrics.prometheus : IN_CLUSTER_PROMETHEUS;
}

/** flagger-loadtester's in-cluster address (rendered into infra-controllers when a webhook uses it). */
export const LOADTESTER_NAMESPACE = 'flagger-system';
export const LOADTESTER_URL = `http://flagger-loadtester.${LOADTESTER_NAMESPACE}/`;

function canaryOn(fleet: FleetSpec, cluster: ClusterSpec, service: string): CanarySpec | undefined {
  const entry = fleetIndex(fleet).services.get(service);
  if (!entry) return undefined;
  const environment: EnvironmentSpec | undefined = environmentOf(entry.system, cluster.environment);
  const override = environment?.services?.[service]?.canary;
  return override === false ? undefined : (override ?? entry.service.canary);
}

/** The canaries that run on a cluster, by service name. */
export function canariesOn(fleet: FleetSpec, cluster: ClusterSpec): Map<string, CanarySpec> {
  const result = new Map<string, CanarySpec>();
  for (const name of cluster.services) {
    const canary = canaryOn(fleet, cluster, name);
    if (canary) result.set(name, canary);
  }
  return result;
}

/** True when a Flagger canary on the cluster runs a webhook through flagger-loadtester. */
export function needsLoadTester(fleet: FleetSpec, cluster: ClusterSpec): boolean {
  if (cluster.progressiveDelivery?.engine !== 'flagger') return false;
  return [...canariesOn(fleet, cluster).values()].some(
    (canary) => canary.webhooks?.loadTest !== undefined || (canary.webhooks?.acceptanceTest !== undefined && canary.webhooks.acceptanceTest.url === undefined),
  );
}
