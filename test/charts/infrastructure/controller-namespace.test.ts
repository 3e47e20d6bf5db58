import { Testing } from 'cdk8s';
import { ControllerNamespace, POD_SECURITY_REASON_ANNOTATION, type ControllerNamespaceProps } from '../../../src/charts/infrastructure/controller-namespace';
import { FLUX_PRUNE_ANNOTATION } from '../../../src/charts/infrastructure/prune-protection';
import type { KubeObject } from '../../../src/model/kube-object';

function namespace(props: Partial<ControllerNamespaceProps> = {}): KubeObject {
  const chart = Testing.chart();
  new ControllerNamespace(chart, 'ns', { name: 'demo', podSecurity: { level: 'baseline', reason: 'because' }, ...props });
  return (Testing.synth(chart) as KubeObject[])[0];
}

describe('ControllerNamespace', () => {
  it('enforces the chosen Pod Security level, warns and audits at restricted, and says why', () => {
    const ns = namespace();
    expect(ns.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
    });
    expect(ns.metadata.annotations).toEqual({ [POD_SECURITY_REASON_ANNOTATION]: 'because' });
  });

  it.each([
    ['istio', 'excluded', { 'istio-injection': 'disabled' }, {}],
    ['istio', 'member', { 'istio-injection': 'enabled' }, {}],
    ['istio', 'opt-in', {}, {}],
    ['linkerd', 'excluded', {}, { 'linkerd.io/inject': 'disabled' }],
    ['linkerd', 'member', {}, { 'linkerd.io/inject': 'enabled' }],
    ['none', 'member', {}, {}],
  ] as const)('mesh %s, %s: labels %j, annotations %j', (mesh, meshMembership, labels, annotations) => {
    const ns = namespace({ mesh, meshMembership });
    const meshLabels = Object.fromEntries(Object.entries(ns.metadata.labels ?? {}).filter(([key]) => key.includes('istio')));
    const meshAnnotations = Object.fromEntries(Object.entries(ns.metadata.annotations ?? {}).filter(([key]) => key.includes('linkerd')));
    expect({ meshLabels, meshAnnotations }).toEqual({ meshLabels: labels, meshAnnotations: annotations });
  });

  it('is prune-protected only when it holds state', () => {
    expect(namespace().metadata.annotations?.[FLUX_PRUNE_ANNOTATION]).toBeUndefined();
    expect(namespace({ pruneProtection: { reason: 'volume' } }).metadata.annotations?.[FLUX_PRUNE_ANNOTATION]).toBe('disabled');
  });
});
