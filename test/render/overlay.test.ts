import type { KubeObject } from '../../src/model/kube-object';
import { computeOverlay, splitImage } from '../../src/render/overlay';

/** JSON round trip drops undefined fields, as cdk8s output has none. */
function deployment(image: string, replicas?: number, namespace?: string): KubeObject {
  return JSON.parse(JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace },
    spec: { replicas, template: { spec: { containers: [{ name: 'web', image }] } } },
  })) as KubeObject;
}

const service = (): KubeObject => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' } });

describe('computeOverlay', () => {
  it('expresses tag and replica differences with the built-in transformers, not patches', () => {
    const overlay = computeOverlay([deployment('example/web', 2)], [deployment('example/web:1.2.3', 5, 'shop')]);
    expect(overlay.images).toEqual([{ name: 'example/web', newTag: '1.2.3' }]);
    expect(overlay.replicas).toEqual([{ name: 'web', count: 5 }]);
    expect(overlay.patches).toEqual([]);
  });

  it('uses digests when the version is a digest', () => {
    expect(splitImage('example/web@sha256:abc')).toEqual({ name: 'example/web', digest: 'sha256:abc' });
    expect(splitImage('registry:5000/web')).toBeUndefined();
  });

  it('removes replicas with a patch when the cluster must not set them (HPA or Flagger owns them)', () => {
    const overlay = computeOverlay([deployment('example/web', 2)], [deployment('example/web:1', undefined, 'shop')]);
    expect(overlay.replicas).toEqual([]);
    expect(overlay.patches).toEqual([{ target: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web' }, operations: [{ op: 'remove', path: '/spec/replicas' }] }]);
  });

  it('deletes base objects the cluster does not have and adds cluster-only objects as resources', () => {
    const ingress: KubeObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web', namespace: 'shop' } };
    const overlay = computeOverlay([deployment('example/web', 1), service()], [deployment('example/web:1', 1, 'shop'), ingress]);
    expect(overlay.patches).toContainEqual({ target: { version: 'v1', kind: 'Service', name: 'web' }, operations: 'delete' });
    expect(overlay.resources).toEqual([ingress]);
  });

  it('leaves the image in a patch when two services share a repository with different versions', () => {
    const a = deployment('example/web', 1);
    const b = { ...deployment('example/web', 1), metadata: { name: 'web-2' } } as KubeObject;
    const overlay = computeOverlay([a, b], [deployment('example/web:1', 1, 'shop'), { ...deployment('example/web:2', 1, 'shop'), metadata: { name: 'web-2', namespace: 'shop' } } as KubeObject]);
    expect(overlay.images).toEqual([]);
    expect(overlay.patches.map((p) => p.target.name)).toEqual(['web', 'web-2']);
  });
});
