import { deriveClusterState, type PodSet } from '../../src/converge';
import { connectionAllowed, type Source } from '../../src/converge/network-policy';
import type { KubeObject } from '../../src/model/kube-object';

// NetworkPolicy semantics, one rule of the API at a time, on two namespaces: `a` (the policies'
// namespace, labelled team=a) and `b` (labelled team=b).
const namespace = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: name } } });
const deployment = (ns: string, name: string, ports: { name: string; containerPort: number; protocol?: string }[] = [{ name: 'http', containerPort: 8080 }]): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: ns },
  spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'x', ports }] } } },
});
const policy = (spec: Record<string, unknown>, ns = 'a', name = 'p'): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });

function allowed(policies: KubeObject[], from: string, to: string, port = 8080, protocol?: string): boolean {
  const state = deriveClusterState([namespace('a'), namespace('b'), deployment('a', 'server', [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]), deployment('a', 'client'), deployment('b', 'client'), ...policies]);
  const pod = (id: string): PodSet => {
    const found = state.pods.find((p) => p.id === id);
    if (!found) throw new Error(`no pods ${id}`);
    return found;
  };
  const source: Source = from === 'external' ? { kind: 'external', description: 'outside', ip: '203.0.113.7' } : { kind: 'pods', pods: pod(from) };
  return connectionAllowed(state, { from: source, to: pod(to), port, protocol });
}
const server = 'Deployment/a/server';
const clientA = 'Deployment/a/client';
const clientB = 'Deployment/b/client';

describe('NetworkPolicy semantics', () => {
  it('allows everything to a pod no policy selects (default allow)', () => {
    expect(allowed([policy({ podSelector: { matchLabels: { app: 'other' } }, ingress: [] })], clientB, server)).toBe(true);
  });

  it('denies everything to a selected pod whose policy has no ingress rule', () => {
    expect(allowed([policy({ podSelector: {}, policyTypes: ['Ingress'] })], clientA, server)).toBe(false);
  });

  it("reads a podSelector-only peer in the policy's own namespace", () => {
    const p = policy({ podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] });
    expect(allowed([p], clientA, server)).toBe(true);
    expect(allowed([p], clientB, server)).toBe(false);
  });

  it('reads namespaceSelector alone as every pod of the namespaces, and with podSelector as their intersection', () => {
    const nsOnly = policy({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] }] });
    expect(allowed([nsOnly], clientB, server)).toBe(true);
    expect(allowed([nsOnly], clientA, server)).toBe(false);
    const both = policy({ podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } }, podSelector: { matchLabels: { app: 'nobody' } } }] }] });
    expect(allowed([both], clientB, server)).toBe(false);
  });

  it('matches ports by number, range (endPort), name (on the destination pod) and protocol', () => {
    const rule = (ports: unknown[]) => [policy({ podSelector: {}, ingress: [{ ports }] })];
    expect(allowed(rule([{ port: 8080 }]), clientA, server)).toBe(true);
    expect(allowed(rule([{ port: 8000, endPort: 8100 }]), clientA, server)).toBe(true);
    expect(allowed(rule([{ port: 9000 }]), clientA, server)).toBe(false);
    expect(allowed(rule([{ port: 'http' }]), clientA, server)).toBe(true);
    expect(allowed(rule([{ port: 'dns', protocol: 'UDP' }]), clientA, server, 53, 'UDP')).toBe(true);
    expect(allowed(rule([{ port: 'http', protocol: 'UDP' }]), clientA, server)).toBe(false);
  });

  it('adds policies together: one allowing rule of any selecting policy is enough', () => {
    const deny = policy({ podSelector: {}, policyTypes: ['Ingress'] }, 'a', 'deny');
    const allowB = policy({ podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ namespaceSelector: {} }] }] }, 'a', 'allow');
    expect(allowed([deny, allowB], clientB, server)).toBe(true);
  });

  it("applies the source's egress policies too (policyTypes defaults to Egress when egress rules exist)", () => {
    const egress = policy({ podSelector: { matchLabels: { app: 'client' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'dns' } } }] }] }, 'b');
    expect(allowed([egress], clientB, server)).toBe(false);
    expect(allowed([egress], clientA, server)).toBe(true);
  });

  it('matches ipBlock for external sources only, honouring except', () => {
    const block = (b: unknown) => [policy({ podSelector: {}, ingress: [{ from: [{ ipBlock: b }] }] })];
    expect(allowed(block({ cidr: '203.0.113.0/24' }), 'external', server)).toBe(true);
    expect(allowed(block({ cidr: '203.0.113.0/24', except: ['203.0.113.0/28'] }), 'external', server)).toBe(false);
    expect(allowed(block({ cidr: '0.0.0.0/0' }), clientA, server)).toBe(false);
  });
});
