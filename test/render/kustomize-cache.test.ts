import { appendFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleet } from '../../src/environments';
import { appliedPaths, kustomizeClusterParallel, type KustomizeCacheUse } from '../../src/render/kustomize-build';
import { buildInputDigest, kustomizeCacheDir, pruneCachedBuilds } from '../../src/render/kustomize-cache';
import { renderToDir } from '../support/render-to-dir';

// Runs kubectl kustomize: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const cacheUse = (root: string): KustomizeCacheUse => ({ root, used: new Set(), built: 0, reused: 0 });

// Runs kubectl kustomize over the sample fleet: generous on a shared 2-core machine.
jest.setTimeout(120_000);

describe('kustomize build cache', () => {
  it('keys a Flux path by every file its build reads, and only those', () => {
    // GIVEN the sample fleet rendered
    const { dir } = renderToDir(fleet);
    const [flights, other] = ['clusters/staging/apps/microservices', 'clusters/shop/apps/microservices-demo'].map((path) => join(dir, path));
    const before = [buildInputDigest(dir, flights), buildInputDigest(dir, other)];
    expect(before.every((digest) => /^[0-9a-f]{64}$/.test(digest ?? ''))).toBe(true);

    // WHEN a file deep in one path's tree changes (a base the overlay reads)
    appendFileSync(join(dir, 'dist/bases/flights/service.yaml'), '# touched\n');

    // THEN that path's digest changes and the other's does not
    expect(buildInputDigest(dir, flights)).not.toBe(before[0]);
    expect(buildInputDigest(dir, other)).toBe(before[1]);
  });

  it('never caches a build whose inputs it cannot enumerate', () => {
    const { dir } = renderToDir(fleet);
    const path = join(dir, 'clusters/staging/apps/microservices');
    writeFileSync(join(path, 'kustomization.yaml'), 'resources: []\nconfigMapGenerator:\n  - name: x\n    files: [a.txt]\n');
    expect(buildInputDigest(dir, path)).toBeUndefined();
    writeFileSync(join(path, 'kustomization.yaml'), 'resources:\n  - https://example.test/remote\n');
    expect(buildInputDigest(dir, path)).toBeUndefined();
  });

  it('rebuilds only the changed path, with output identical to an uncached build', async () => {
    // GIVEN a cluster built once with the cache
    const { dir } = renderToDir(fleet);
    const first = cacheUse(dir);
    const cold = await kustomizeClusterParallel(dir, 'staging', 2, first);
    const paths = appliedPaths(dir, 'staging').length;
    expect([first.built, first.reused]).toEqual([paths, 0]);

    // WHEN one service's base changes and the cluster is built again
    appendFileSync(join(dir, 'dist/bases/flights/service.yaml'), '# touched\n');
    const second = cacheUse(dir);
    const warm = await kustomizeClusterParallel(dir, 'staging', 2, second);

    // THEN only its Flux path ran kubectl, and the result is what a build without cache gives
    expect([second.built, second.reused]).toEqual([1, paths - 1]);
    expect(warm).toEqual(await kustomizeClusterParallel(dir, 'staging', 2));
    expect(warm).toEqual(cold);

    // AND pruning keeps exactly the builds the last run used
    pruneCachedBuilds(dir, second.used);
    expect(readdirSync(kustomizeCacheDir(dir)).sort()).toEqual([...second.used].map((key) => `${key}.yaml`).sort());
    expect(existsSync(kustomizeCacheDir(dir))).toBe(true);
    // Three kubectl builds of every staging path: generous on a busy 2-core machine.
  }, 120_000);
});
