import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { namespaceOf } from '../cluster-index';
import { childPath } from '../field-path';
import { isRecord, list, record, stringMap } from '../json';
import { isEmptySelector, labelSelectorMatches } from '../label-selector';
import type { ValidationContext } from '../validation-context';

/**
 * `ref/dangling-network-policy`: a NetworkPolicy's own `podSelector` picks some pods.
 * `ref/dangling-network-policy-peer`: each `from`/`to` peer's `podSelector` picks some pods, in
 * the policy's namespace or in the namespaces its `namespaceSelector` picks. A dangling peer means
 * traffic the author meant to allow stays blocked (kube-linter: dangling-networkpolicy[peer]).
 * Empty selectors (`{}`) pick everything and are not checked.
 */
export function checkNetworkPolicies(ctx: ValidationContext): Problem[] {
  return ctx.index.ofKind('NetworkPolicy').flatMap((policy) => [...checkOwnSelector(policy, ctx), ...checkPeers(policy, ctx)]);
}

function checkOwnSelector(policy: KubeObject, ctx: ValidationContext): Problem[] {
  const selector = record(policy.spec).podSelector;
  if (selector === undefined || isEmptySelector(selector)) return [];
  const candidates = ctx.index.podTemplatesLabelled(namespaceOf(policy), stringMap(record(selector).matchLabels));
  if (candidates.some((t) => labelSelectorMatches(selector, t.labels))) return [];
  return [
    error(
      'ref/dangling-network-policy',
      ctx.placeOf(policy, 'spec.podSelector'),
      `NetworkPolicy ${policy.metadata.name} applies to pods matching ${JSON.stringify(selector)}, but no workload in namespace ${namespaceOf(policy)} has such pods.`,
      'Make spec.podSelector match the pod template labels of the workload it protects.',
    ),
  ];
}

function checkPeers(policy: KubeObject, ctx: ValidationContext): Problem[] {
  const spec = record(policy.spec);
  const peers = [
    ...list(spec.ingress).flatMap((rule, r) => list(record(rule).from).map((peer, p) => ({ peer, field: childPath('spec.ingress', r, 'from', p) }))),
    ...list(spec.egress).flatMap((rule, r) => list(record(rule).to).map((peer, p) => ({ peer, field: childPath('spec.egress', r, 'to', p) }))),
  ];
  return peers.flatMap(({ peer, field }) => {
    if (!isRecord(peer) || peer.podSelector === undefined || isEmptySelector(peer.podSelector)) return [];
    const namespaces = peerNamespaces(policy, peer.namespaceSelector, ctx);
    // Pods of namespaces that exist without being rendered (kube-dns in kube-system) cannot be
    // seen here: such a peer is trusted, not reported.
    if (namespaces !== 'all' && [...namespaces].some((name) => !ctx.index.renderedNamespaces.has(name))) return [];
    const matched = ctx.index.podTemplates.some((t) => (namespaces === 'all' || namespaces.has(t.namespace)) && labelSelectorMatches(peer.podSelector, t.labels));
    if (matched) return [];
    const where = namespaces === 'all' ? 'any namespace' : `namespace${namespaces.size === 1 ? '' : 's'} ${[...namespaces].sort().join(', ') || '(none matched)'}`;
    return [
      error(
        'ref/dangling-network-policy-peer',
        ctx.placeOf(policy, `${field}.podSelector`),
        `NetworkPolicy ${policy.metadata.name} allows traffic with pods matching ${JSON.stringify(peer.podSelector)} in ${where}, but no workload there has such pods.`,
        'Fix the peer podSelector (and namespaceSelector) to match the pods you mean, or remove the peer.',
      ),
    ];
  });
}

/** The namespaces a peer's namespaceSelector picks; `all` when it is `{}`. */
function peerNamespaces(policy: KubeObject, namespaceSelector: unknown, ctx: ValidationContext): Set<string> | 'all' {
  if (namespaceSelector === undefined) return new Set([namespaceOf(policy)]);
  if (isEmptySelector(namespaceSelector)) return 'all';
  const names = new Set<string>();
  const candidates = new Set([...ctx.index.renderedNamespaces.keys(), ...ctx.options.knownNamespaces]);
  for (const name of candidates) {
    // The API server labels every namespace with its name.
    const labels = { ...stringMap(ctx.index.renderedNamespaces.get(name)?.metadata.labels), 'kubernetes.io/metadata.name': name };
    if (labelSelectorMatches(namespaceSelector, labels)) names.add(name);
  }
  return names;
}
