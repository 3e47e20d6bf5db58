import { fleet } from '../../src/environments';
import { objectId, type KubeObject } from '../../src/model/kube-object';
import { kustomizeCluster } from '../../src/render/kustomize-build';
import { renderToDir } from '../support/render-to-dir';

function byId(objects: readonly KubeObject[]): Map<string, unknown> {
  return new Map(objects.map((obj) => [`${obj.apiVersion}|${objectId(obj)}`, JSON.parse(JSON.stringify(obj))]));
}

describe('kustomize invariant', () => {
  // GIVEN the sample fleet rendered to disk
  const { dir, result } = renderToDir(fleet);

  it.each(fleet.clusters.map((c) => c.name))('building cluster %s with kubectl kustomize yields exactly the objects the model implies', (name) => {
    // WHEN every path Flux applies for the cluster is built by the real kustomize
    const built = byId(kustomizeCluster(dir, name));
    const expected = byId(result.clusters.find((c) => c.spec.name === name)?.objects ?? []);

    // THEN the same objects come out, field for field
    expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, obj] of expected) expect({ id, obj: built.get(id) }).toEqual({ id, obj });
  });
});
