import { objectId, type KubeObject } from '../../src/model/kube-object';
import { kustomizeClusters } from '../../src/render/kustomize-build';

/**
 * Builds a rendered cluster with the real `kubectl kustomize` and expects exactly the objects the
 * model implies, field for field (JSON round trip, as kustomize's output is plain data).
 */
export async function expectKustomizeBuildEquals(dir: string, cluster: string, objects: readonly KubeObject[]): Promise<void> {
  const builds = await kustomizeClusters(dir, [cluster], 1);
  const byId = (list: readonly KubeObject[]) => new Map(list.map((o) => [`${o.apiVersion}|${objectId(o)}`, JSON.parse(JSON.stringify(o))]));
  const built = byId(builds.get(cluster) ?? []);
  const expected = byId(objects);
  expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [id, obj] of expected) expect({ id, obj: built.get(id) }).toEqual({ id, obj });
}
