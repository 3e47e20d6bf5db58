import type { ClusterSpec } from '../../../src/model/cluster';
import { inDependencyOrder, type FluxKustomizationFact } from '../../../src/render/bootstrap/cluster-facts';
import { bootstrapPath, fluxBootstrapCommand, repositoryAddress } from '../../../src/render/bootstrap/flux-bootstrap';
import { miniFleet } from '../../support/fleet-fixtures';

const cluster = (overrides: Partial<ClusterSpec>): ClusterSpec => ({ ...miniFleet().clusters[0], ...overrides });

describe('flux bootstrap command', () => {
  it.each([
    ['https://github.com/example-org/fleet-config', { host: 'github.com', path: 'example-org/fleet-config' }],
    ['https://github.com/example-org/fleet-config.git/', { host: 'github.com', path: 'example-org/fleet-config' }],
    ['ssh://git@GitLab.com:22/group/sub/fleet.git', { host: 'gitlab.com', path: 'group/sub/fleet' }],
    ['git@github.com:acme/fleet.git', { host: 'github.com', path: 'acme/fleet' }],
    ['not a url', undefined],
  ])('reads host and path of %s', (url, expected) => {
    expect(repositoryAddress(url)).toEqual(expected);
  });

  it('GitHub: owner and repository from the URL, the model\'s branch and the cluster directory', () => {
    const command = fluxBootstrapCommand(cluster({ flux: { url: 'https://github.com/example-org/fleet-config' } }));
    expect(command.environment).toEqual(['export GITHUB_TOKEN=<a token with administration rights on the repository>']);
    expect(command.lines).toEqual(['flux bootstrap github', '--owner=example-org', '--repository=fleet-config', '--branch=main', '--path=clusters/stage']);
  });

  it('GitLab subgroups keep the group path as owner', () => {
    expect(fluxBootstrapCommand(cluster({ flux: { url: 'https://gitlab.com/group/sub/fleet.git' } })).lines.slice(0, 3)).toEqual(['flux bootstrap gitlab', '--owner=group/sub', '--repository=fleet']);
  });

  it('another host: flux bootstrap git with the ssh:// URL, so the deploy key clones it', () => {
    const command = fluxBootstrapCommand(cluster({ flux: { url: 'https://git.example.test/platform/fleet', branch: 'prod', path: '/deploy/' } }));
    expect(command.lines).toEqual(['flux bootstrap git', '--url=ssh://git@git.example.test/platform/fleet.git', '--private-key-file=<the deploy key registered for the repository>', '--branch=prod', '--path=deploy/clusters/stage']);
    expect(bootstrapPath(cluster({ flux: { url: 'x', path: './deploy' } }))).toBe('deploy/clusters/stage');
  });

  it('image automation with its own source: the image controllers, but a read-only deploy key', () => {
    const own = fluxBootstrapCommand(cluster({ imageAutomation: { source: { url: 'ssh://git@github.com/acme/model', secretName: 'model-push' } } }));
    expect(own.lines).toContain('--components-extra=image-reflector-controller,image-automation-controller');
    expect(own.lines).not.toContain('--read-write-key');
    const through = fluxBootstrapCommand(cluster({ imageAutomation: {} }));
    expect(through.lines).toContain('--read-write-key');
  });
});

describe('Kustomizations in dependsOn order', () => {
  const k = (name: string, dependsOn: string[] = []): FluxKustomizationFact => ({ name, path: name, dependsOn, healthChecks: [], wait: true });

  it('puts each after those it depends on, keeping render order otherwise', () => {
    const ordered = inDependencyOrder([k('apps-b', ['infra-configs', 'apps-a']), k('apps-a', ['infra-configs']), k('infra-configs', ['infra-controllers']), k('infra-controllers'), k('apps-c', ['infra-configs'])]);
    expect(ordered.map((x) => x.name)).toEqual(['infra-controllers', 'infra-configs', 'apps-a', 'apps-c', 'apps-b']);
  });

  it('ignores dependencies outside the list and never loops on a cycle', () => {
    expect(inDependencyOrder([k('a', ['b']), k('b', ['a']), k('c', ['elsewhere'])]).map((x) => x.name)).toEqual(['c', 'a', 'b']);
  });
});
