import type { KubeObject } from '../model/kube-object';
import { namespaceOf } from '../validate/cluster-index';
import { isRecord, list, record, str } from '../validate/json';
import type { ClusterState, PodSet } from './cluster-state';
import { apexName, canaryTarget } from './flagger';
import { chartOf } from './helm-release-pods';
import { parseHost } from './metrics';

/**
 * Flagger's `rollout` webhooks that flagger-loadtester runs during every analysis step
 * (fluxcd/flagger v1.44.0 pkg/loadtester), read for where their requests go.
 */
export interface LoadTest {
  readonly cmd: string;
  readonly url?: string;
  /** The Host header the command sends. */
  readonly host?: string;
}

/** `rollout` webhooks sent to flagger-loadtester, with the URL and Host header of their command. */
export function loadTests(canary: KubeObject): LoadTest[] {
  const hooks = list(record(record(canary.spec).analysis).webhooks).filter(isRecord);
  return hooks
    .filter((h) => str(h.type) === 'rollout')
    .map((h) => {
      const cmd = str(record(h.metadata).cmd) ?? '';
      const url = /(https?:\/\/\S+)/.exec(cmd)?.[1];
      // hey: `-host <name>`; curl-style: `-H 'Host: <name>'`.
      const host = /-host\s+['"]?([^\s'"]+)/.exec(cmd)?.[1] ?? /-H\s+['"]Host:\s*([^'"]+)['"]/i.exec(cmd)?.[1];
      return { cmd, url, host };
    });
}

/**
 * Whether a load test's requests land on the canary's pods: its URL names a Service that selects
 * them (`<apex>-canary`), or, when the provider splits the apex's traffic at the caller
 * (`apexSplit`: a mesh's client-side proxy), the apex itself.
 */
export function reachesCanaryPods(state: ClusterState, canary: KubeObject, test: LoadTest, apexSplit = false): boolean {
  const ns = namespaceOf(canary);
  const host = parseHost(test.url);
  if (!host) return false;
  const svcNamespace = host.namespace ?? ns;
  if (apexSplit && svcNamespace === ns && host.name === apexName(canary)) return true;
  const svc = state.services.get(`${svcNamespace}/${host.name}`);
  const target = canaryTarget(canary, state.find);
  return svc !== undefined && target !== undefined && svc.selector[target.label] === target.value;
}

/** The pods of a chart's release whose Service the URL names (`service(release)` gives the chart's Service name). */
export function chartPodsAt(state: ClusterState, chart: string, url: string | undefined, service: (release: string) => string): PodSet | undefined {
  const host = parseHost(url);
  if (!host) return undefined;
  return state.pods.find((p) => p.origin === 'helm-release' && chartOf(p.source) === chart && p.namespace === host.namespace && service(p.labels['app.kubernetes.io/instance'] ?? '') === host.name);
}
