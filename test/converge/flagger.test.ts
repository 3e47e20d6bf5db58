import { deriveClusterState } from '../../src/converge';
import { makePrimaryLabels } from '../../src/converge/flagger';
import type { KubeObject } from '../../src/model/kube-object';

const target: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'shop' },
  spec: {
    selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } },
    template: { metadata: { labels: { 'app.kubernetes.io/name': 'api', team: 'x', 'kustomize.toolkit.fluxcd.io/name': 'apps' } }, spec: { containers: [{ name: 'api', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } },
  },
};
const canary: KubeObject = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  metadata: { name: 'api', namespace: 'shop' },
  spec: { targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api' }, service: { port: 80, targetPort: 'http' } },
};

describe("Flagger's objects (fluxcd/flagger v1.44.0)", () => {
  it('rewrites the selector label to <value>-primary, keeps the others and drops Flux toolkit labels', () => {
    expect(makePrimaryLabels({ app: 'api', team: 'x', 'kustomize.toolkit.fluxcd.io/name': 'apps' }, 'api-primary', 'app')).toEqual({ app: 'api-primary', team: 'x' });
  });

  it('derives the primary pods and the apex, -primary and -canary Services with their selectors', () => {
    const state = deriveClusterState([target, canary]);
    expect(state.pods.map((p) => [p.id, p.labels])).toEqual([
      ['Deployment/shop/api', { 'app.kubernetes.io/name': 'api', team: 'x', 'kustomize.toolkit.fluxcd.io/name': 'apps' }],
      ['Deployment/shop/api-primary', { 'app.kubernetes.io/name': 'api-primary', team: 'x' }],
    ]);
    expect(Object.fromEntries([...state.services.values()].map((s) => [s.name, s.selector]))).toEqual({
      api: { 'app.kubernetes.io/name': 'api-primary' },
      'api-primary': { 'app.kubernetes.io/name': 'api-primary' },
      'api-canary': { 'app.kubernetes.io/name': 'api' },
    });
  });

  it('gives pods in an istio-injection namespace the sidecar ports and the merged-metrics scrape annotations', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'istio-injection': 'enabled' } } };
    const [pods] = deriveClusterState([ns, target]).pods;
    expect(pods.ports.map((p) => p.port)).toEqual([8080, 15090, 15021, 15020]);
    expect(pods.annotations).toMatchObject({ 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020' });
  });
});
