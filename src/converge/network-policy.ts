import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, num, record, str } from '../validate/json';
import { labelSelectorMatches } from '../validate/label-selector';
import type { ClusterState, PodPort, PodSet } from './cluster-state';

/**
 * NetworkPolicy semantics as the Kubernetes API defines them (k8s.io/api networking/v1 types.go,
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/):
 * - A pod is isolated for ingress (egress) when at least one policy in its namespace selects it
 *   with that policy type; a pod no policy selects allows everything (default allow).
 * - `policyTypes` defaults to `Ingress`, plus `Egress` when the policy has egress rules.
 * - A connection is allowed when the destination's ingress AND the source's egress allow it;
 *   policies are additive (any rule of any selecting policy allowing it is enough).
 * - A rule without `from`/`to` matches every peer; without `ports`, every port.
 * - A peer with `podSelector` only selects pods of the policy's namespace; with
 *   `namespaceSelector` only, every pod of the selected namespaces; with both, the pods the
 *   podSelector selects in those namespaces. `ipBlock` is for addresses outside the cluster
 *   (pod IPs are implementation-defined): here it matches only external sources.
 * - A port entry matches the protocol (default TCP) and the number, a range up to `endPort`, or
 *   a named port, resolved against the destination pod's container ports.
 */

/** Where traffic comes from: pods, or an address outside the cluster (e.g. an ALB in the VPC). */
export type Source = { readonly kind: 'pods'; readonly pods: PodSet } | { readonly kind: 'external'; readonly description: string; readonly ip?: string };

export interface Connection {
  readonly from: Source;
  readonly to: PodSet;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: string;
}

/** Whether the policies of the cluster let this connection through. */
export function connectionAllowed(state: ClusterState, connection: Connection): boolean {
  return ingressAllows(state, connection) && egressAllows(state, connection);
}

/** Per pod set (a state's own objects), the policies isolating it: every connection to or from it asks again. */
const isolatingCache = new WeakMap<PodSet, Map<string, KubeObject[]>>();

/** The policies that isolate `pods` in one direction; empty = default allow. */
export function isolatingPolicies(state: ClusterState, pods: PodSet, direction: 'Ingress' | 'Egress'): KubeObject[] {
  const cached = isolatingCache.get(pods) ?? new Map<string, KubeObject[]>();
  isolatingCache.set(pods, cached);
  const hit = cached.get(direction);
  if (hit) return hit;
  const found = selectingPolicies(state, pods, direction);
  cached.set(direction, found);
  return found;
}

function selectingPolicies(state: ClusterState, pods: PodSet, direction: 'Ingress' | 'Egress'): KubeObject[] {
  return state
    .policiesIn(pods.namespace)
    .filter((policy) => policyTypes(policy).includes(direction) && labelSelectorMatches(record(policy.spec).podSelector, pods.labels));
}

export function policyTypes(policy: KubeObject): string[] {
  const spec = record(policy.spec);
  const declared = list(spec.policyTypes).filter((t): t is string => typeof t === 'string');
  if (declared.length > 0) return declared;
  return spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

function ingressAllows(state: ClusterState, c: Connection): boolean {
  const policies = isolatingPolicies(state, c.to, 'Ingress');
  if (policies.length === 0) return true;
  return policies.some((policy) =>
    list(record(policy.spec).ingress).some((rule) => rulePeersMatch(state, policy, record(rule).from, c.from) && rulePortsMatch(record(rule).ports, c.to.ports, c.port, c.protocol)),
  );
}

function egressAllows(state: ClusterState, c: Connection): boolean {
  if (c.from.kind !== 'pods') return true;
  const policies = isolatingPolicies(state, c.from.pods, 'Egress');
  if (policies.length === 0) return true;
  const destination: Source = { kind: 'pods', pods: c.to };
  return policies.some((policy) =>
    list(record(policy.spec).egress).some((rule) => rulePeersMatch(state, policy, record(rule).to, destination) && rulePortsMatch(record(rule).ports, c.to.ports, c.port, c.protocol)),
  );
}

function rulePeersMatch(state: ClusterState, policy: KubeObject, peers: unknown, other: Source): boolean {
  if (peers === undefined || list(peers).length === 0) return true;
  return list(peers).some((peer) => isRecord(peer) && peerMatches(state, policy, peer, other));
}

function peerMatches(state: ClusterState, policy: KubeObject, peer: Readonly<Record<string, unknown>>, other: Source): boolean {
  if (peer.ipBlock !== undefined) return other.kind === 'external' && ipBlockMatches(record(peer.ipBlock), other.ip);
  if (other.kind !== 'pods') return false;
  const pods = other.pods;
  const namespaceOk =
    peer.namespaceSelector === undefined ? pods.namespace === namespaceOf(policy) : labelSelectorMatches(peer.namespaceSelector, state.namespaceLabels(pods.namespace));
  const podOk = peer.podSelector === undefined || labelSelectorMatches(peer.podSelector, pods.labels);
  // A peer with neither selector is invalid (the API server rejects it); it matches nothing.
  if (peer.namespaceSelector === undefined && peer.podSelector === undefined) return false;
  return namespaceOk && podOk;
}

function rulePortsMatch(ports: unknown, destinationPorts: readonly PodPort[], port: number, protocol = 'TCP'): boolean {
  if (ports === undefined || list(ports).length === 0) return true;
  return list(ports).some((entry) => {
    const p = record(entry);
    if ((str(p.protocol) ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'string') return destinationPorts.some((dp) => dp.name === p.port && dp.port === port && dp.protocol === protocol);
    const from = num(p.port) ?? -1;
    const to = num(p.endPort) ?? from;
    return port >= from && port <= to;
  });
}

/** An external source of unknown address (`ip` undefined) is only in a block covering every address. */
function ipBlockMatches(block: Readonly<Record<string, unknown>>, ip: string | undefined): boolean {
  const cidr = str(block.cidr) ?? '';
  const except = list(block.except).filter((e): e is string => typeof e === 'string');
  if (ip === undefined) return (cidr === '0.0.0.0/0' || cidr === '::/0') && except.length === 0;
  return inCidr(ip, cidr) && !except.some((e) => inCidr(ip, e));
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bitsText] = cidr.split('/');
  const toNumber = (address: string) => address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  if (!base.includes('.') || !ip.includes('.')) return false;
  const bits = Number(bitsText ?? 32);
  if (bits === 0) return true;
  const shift = 2 ** (32 - bits);
  return Math.floor(toNumber(ip) / shift) === Math.floor(toNumber(base) / shift);
}
