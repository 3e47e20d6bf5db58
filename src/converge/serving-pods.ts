import type { ClusterState, PodSet, ServiceState } from './cluster-state';
import { apexName } from './flagger';

/** Which pods serve a service, and which pods a workload runs as (its primary and canary included). */

/** Pods a workload named `name` runs: its own, its Rollout ReplicaSets', and Flagger's primary of it. */
export function podsOfWorkload(state: ClusterState, namespace: string, name: string): PodSet[] {
  return state.podsOwnedBy(namespace, name).filter((p) => p.origin === 'workload' || p.origin === 'rollout' || p.origin === 'flagger-primary');
}

/**
 * Pods that answer requests to a Service: those its selector picks and, for a Flagger apex,
 * the canary's pods too (during analysis the router sends them a share of the apex's traffic).
 */
export function podsServing(state: ClusterState, service: ServiceState): PodSet[] {
  const selected = state.podsSelectedBy(service.namespace, service.selector);
  const canary = service.createdBy && apexName(service.createdBy) === service.name ? state.services.get(`${service.namespace}/${service.name}-canary`) : undefined;
  const canaryPods = canary ? state.podsSelectedBy(canary.namespace, canary.selector) : [];
  return unique([...selected, ...canaryPods]);
}

/** The container port a Service port sends to on one pod (targetPort by number or name). */
export function targetPortOn(service: ServiceState, servicePort: number | undefined, pods: PodSet): number | undefined {
  const port = service.ports.find((p) => servicePort === undefined || p.port === servicePort) ?? service.ports[0];
  if (!port) return undefined;
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (typeof target === 'string' && /^\d+$/.test(target)) return Number(target);
  return pods.ports.find((p) => p.name === target)?.port;
}

function unique(pods: readonly PodSet[]): PodSet[] {
  return [...new Map(pods.map((p) => [p.id, p] as const)).values()];
}
