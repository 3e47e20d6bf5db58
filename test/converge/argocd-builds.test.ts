import { argoCdBuilds } from '../../src/render/kustomize-build';
import { hotelFleet } from './hotel-fleet';
import { renderToDir } from '../support/render-to-dir';

// `npm run check` reads Argo CD's bootstrap and child Applications from the written files;
// synth hands the converge layer the same objects from memory. Both must agree, or one of the
// two paths checks a different Argo CD than the other.
describe('Argo CD builds for the converge checks', () => {
  const { dir, result } = renderToDir(hotelFleet());
  const names = (objects: readonly { kind: string; metadata: { name: string } }[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`).sort();

  it('reads from the written files what the render hands over in memory', () => {
    const inMemory = result.clusters.find((c) => c.spec.name === 'argo')?.flux.argoCd;
    const fromFiles = argoCdBuilds(dir, 'argo');
    expect(inMemory).toBeDefined();
    expect(names(fromFiles?.bootstrap ?? [])).toEqual(names(inMemory?.bootstrap ?? []));
    expect(names(fromFiles?.bootstrap ?? [])).toEqual(['Application/argo-apps', 'ConfigMap/argocd-cm']);
    expect([...(fromFiles?.builds.keys() ?? [])]).toEqual([...(inMemory?.builds.keys() ?? [])]);
    expect([...(fromFiles?.builds.values() ?? [])].flat().map((o) => o.metadata.name)).toEqual(['argo-apps-hotel']);
  });

  it('has nothing for a cluster Flux alone applies', () => {
    expect(argoCdBuilds(dir, 'edge')).toBeUndefined();
    expect(result.clusters.find((c) => c.spec.name === 'edge')?.flux.argoCd).toBeUndefined();
  });
});
