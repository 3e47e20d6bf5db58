import { FluxKustomization } from '../../../src/charts/flux/flux-kustomization';
import { BOOTSTRAP_SOURCE_NAME, repoPath } from '../../../src/charts/flux/git-source';
import { fleet } from '../../../src/environments';
import type { KubeObject } from '../../../src/model/kube-object';
import { synthObjects } from '../../../src/render/synth-objects';
import { renderOk } from '../../support/render-to-dir';

describe('Flux objects', () => {
  it('renders GA API versions with ordering, pruning and health waiting (snapshot)', () => {
    const objects = synthObjects((scope) => {
      new FluxKustomization(scope, 'apps', { name: 'apps-shop', path: './clusters/staging/apps/shop', dependsOn: ['infra-configs'] });
    });
    expect(objects.map((o) => o.apiVersion)).toEqual(['kustomize.toolkit.fluxcd.io/v1']);
    expect((objects[0] as any).spec).toMatchObject({ prune: true, wait: true, timeout: '5m', dependsOn: [{ name: 'infra-configs' }], sourceRef: { kind: 'GitRepository', name: 'flux-system' } });
    expect(objects).toMatchSnapshot();
  });

  it('resolves paths under an optional sub-directory of the repository', () => {
    expect(repoPath({ url: 'x' }, 'clusters/a')).toBe('./clusters/a');
    expect(repoPath({ url: 'x', path: './deploy/' }, 'clusters/a')).toBe('./deploy/clusters/a');
  });
});

describe('Git source authentication', () => {
  it('reads the config repository only through the GitRepository flux bootstrap creates with its own URL and key', () => {
    // flux bootstrap writes GitRepository flux-system with an ssh:// URL and its SSH deploy key in
    // Secret flux-system; a second source pairing the model's https:// URL with that Secret never clones.
    for (const cluster of renderOk(fleet).clusters) {
      const fluxObjects = cluster.objects.filter((o) => o.apiVersion.endsWith('.toolkit.fluxcd.io/v1'));
      // A GitRepository of another repository (a Helm app's chart, seed 003) is fine; none may read the config repository.
      const url = (o: KubeObject) => (o.spec as { url?: string }).url;
      const gitSources = fluxObjects.filter((o) => o.kind === 'GitRepository' && url(o) === cluster.spec.flux.url);
      expect({ cluster: cluster.spec.name, gitSources: gitSources.map((o) => o.metadata.name) }).toEqual({ cluster: cluster.spec.name, gitSources: [] });
      for (const other of fluxObjects.filter((o) => o.kind === 'GitRepository')) expect(other.metadata.namespace).not.toBe('flux-system');
      const readers = fluxObjects.filter((o) => o.kind === 'Kustomization' || o.kind === 'ImageUpdateAutomation');
      expect(readers.length).toBeGreaterThan(0);
      for (const reader of readers) expect({ reader: reader.metadata.name, source: (reader.spec as { sourceRef: { name: string } }).sourceRef.name }).toEqual({ reader: reader.metadata.name, source: BOOTSTRAP_SOURCE_NAME });
    }
  });
});
