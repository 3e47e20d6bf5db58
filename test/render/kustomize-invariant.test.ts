import { fleet } from '../../src/environments';
import { objectId, type KubeObject } from '../../src/model/kube-object';
import { kustomizeClusters } from '../../src/render/kustomize-build';
import { renderToDir } from '../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

function byId(objects: readonly KubeObject[]): Map<string, unknown> {
  return new Map(objects.map((obj) => [`${obj.apiVersion}|${objectId(obj)}`, JSON.parse(JSON.stringify(obj))]));
}

// Runs kubectl kustomize over the sample fleet: generous on a shared 2-core machine.
jest.setTimeout(120_000);

describe('kustomize invariant', () => {
  // GIVEN the sample fleet rendered to disk
  const { dir, result } = renderToDir(fleet);
  const names = fleet.clusters.map((c) => c.name);
  let builds: Map<string, KubeObject[]>;

  // WHEN every path Flux applies, of every cluster, is built by the real kustomize — in one pool,
  // as `npm run check` does, so the clusters' builds interleave
  // (and every path Argo CD applies for the namespaces it owns)
  beforeAll(async () => {
    builds = await kustomizeClusters(dir, names, 2);
    // kubectl for every Flux path of every cluster: generous on a busy 2-core machine.
  }, 180_000);

  it.each(names)('building cluster %s with kubectl kustomize yields exactly the objects the model implies', (name) => {
    const built = byId(builds.get(name) ?? []);
    const expected = byId(result.clusters.find((c) => c.spec.name === name)?.objects ?? []);

    // THEN the same objects come out, field for field, each under its own cluster
    expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, obj] of expected) expect({ id, obj: built.get(id) }).toEqual({ id, obj });
  });
});
