import { FluxKustomization } from '../../../src/charts/flux/flux-kustomization';
import { FleetGitSource, repoPath, sourceIgnore } from '../../../src/charts/flux/git-source';
import { synthObjects } from '../../../src/render/synth-objects';

describe('Flux objects', () => {
  it('renders GA API versions with ordering, pruning and health waiting (snapshot)', () => {
    const objects = synthObjects((scope) => {
      new FleetGitSource(scope, 'src', { cluster: 'staging', source: { url: 'https://git.example/fleet' } });
      new FluxKustomization(scope, 'apps', { name: 'apps-shop', path: './clusters/staging/apps/shop', dependsOn: ['infra-configs'] });
    });
    expect(objects.map((o) => o.apiVersion)).toEqual(['source.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v1']);
    expect((objects[1] as any).spec).toMatchObject({ prune: true, wait: true, timeout: '5m', dependsOn: [{ name: 'infra-configs' }], sourceRef: { kind: 'GitRepository', name: 'fleet' } });
    expect(objects).toMatchSnapshot();
  });

  it('narrows the Git artifact to the cluster and the bases, under an optional sub-directory', () => {
    expect(sourceIgnore({ url: 'x' }, 'staging')).toBe('/*\n!/clusters/\n!/dist/\n/clusters/*\n!/clusters/staging/\n');
    expect(sourceIgnore({ url: 'x', path: 'deploy' }, 'prod')).toBe('/*\n!/deploy/\n/deploy/*\n!/deploy/clusters/\n!/deploy/dist/\n/deploy/clusters/*\n!/deploy/clusters/prod/\n');
    expect(repoPath({ url: 'x', path: './deploy/' }, 'clusters/a')).toBe('./deploy/clusters/a');
  });
});
