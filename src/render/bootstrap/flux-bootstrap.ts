import { repoPath } from '../../charts/flux/git-source';
import type { ClusterSpec } from '../../model/cluster';
import { clusterDir } from '../layout';

/**
 * The `flux bootstrap` command line of a cluster, from its `flux` source: the same repository,
 * branch and path the rendered Kustomizations read through bootstrap's GitRepository
 * `flux-system` (src/charts/flux/git-source.ts). GitHub and GitLab repositories get their
 * provider's subcommand (it creates the SSH deploy key through the API); any other host gets
 * `flux bootstrap git` with the `ssh://` form of the URL, so the key bootstrap generates (or
 * `--private-key-file`) is what clones it.
 * @see https://fluxcd.io/flux/cmd/flux_bootstrap_github/ (fluxcd/flux2 cmd/flux/bootstrap_github.go)
 * @see https://fluxcd.io/flux/cmd/flux_bootstrap_gitlab/
 * @see https://fluxcd.io/flux/cmd/flux_bootstrap_git/
 */
export interface BootstrapCommand {
  /** Environment the command reads (a token), one `export` line each. */
  readonly environment: readonly string[];
  /** The command, one flag per line. */
  readonly lines: readonly string[];
  /** What the reader must know about the command, one sentence each. */
  readonly notes: readonly string[];
}

/** Image automation pushes through the bootstrap source: its deploy key needs write access. */
const IMAGE_CONTROLLERS = '--components-extra=image-reflector-controller,image-automation-controller';

interface RepositoryAddress {
  readonly host: string;
  /** `owner/…/name` without `.git`. */
  readonly path: string;
}

/** Host and path of an `https://`, `ssh://` or scp-like (`git@host:owner/name`) Git URL. */
export function repositoryAddress(url: string): RepositoryAddress | undefined {
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(url);
  const parsed = scp ? { host: scp[1], path: scp[2] } : /^(?:https?|ssh):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+)$/.exec(url)?.slice(1, 3);
  if (!parsed) return undefined;
  const [host, path] = Array.isArray(parsed) ? parsed : [parsed.host, parsed.path];
  return { host: host.toLowerCase(), path: path.replace(/\/+$/, '').replace(/\.git$/, '') };
}

/** `--path` of a cluster: its directory inside the config repository (`flux.path` honoured). */
export function bootstrapPath(cluster: ClusterSpec): string {
  return repoPath(cluster.flux, clusterDir(cluster.name)).replace(/^\.\//, '');
}

function providerLines(url: string): { environment: string[]; lines: string[] } {
  const address = repositoryAddress(url);
  const slash = address?.path.lastIndexOf('/') ?? -1;
  if (address && slash > 0 && (address.host === 'github.com' || address.host === 'gitlab.com')) {
    const github = address.host === 'github.com';
    return {
      environment: [github ? 'export GITHUB_TOKEN=<a token with administration rights on the repository>' : 'export GITLAB_TOKEN=<a token with the api scope>'],
      lines: [`flux bootstrap ${github ? 'github' : 'gitlab'}`, `--owner=${address.path.slice(0, slash)}`, `--repository=${address.path.slice(slash + 1)}`],
    };
  }
  const ssh = address ? `ssh://git@${address.host}/${address.path}.git` : url;
  return { environment: [], lines: ['flux bootstrap git', `--url=${ssh}`, '--private-key-file=<the deploy key registered for the repository>'] };
}

export function fluxBootstrapCommand(cluster: ClusterSpec): BootstrapCommand {
  const { environment, lines } = providerLines(cluster.flux.url);
  const automation = cluster.imageAutomation;
  // Without its own source, image automation pushes the release lock through bootstrap's deploy key.
  const writesThroughBootstrap = automation !== undefined && automation.source === undefined;
  const notes = [
    `Bootstrap commits \`${bootstrapPath(cluster)}/flux-system/\` (the Flux components and the GitRepository and Kustomization \`flux-system\`) to branch \`${cluster.flux.branch ?? 'main'}\`; the rendered \`${bootstrapPath(cluster)}/kustomization.yaml\` lists it, so \`git pull\` before the next synth.`,
    ...(lines[0] === 'flux bootstrap github' ? ['Add `--personal` when the owner is a user account rather than an organization.'] : []),
    ...(writesThroughBootstrap ? ['`--read-write-key`: image automation pushes the release lock through the deploy key bootstrap creates.'] : []),
  ];
  return {
    environment,
    lines: [
      ...lines,
      `--branch=${cluster.flux.branch ?? 'main'}`,
      `--path=${bootstrapPath(cluster)}`,
      ...(writesThroughBootstrap ? ['--read-write-key'] : []),
      ...(automation ? [IMAGE_CONTROLLERS] : []),
    ],
    notes,
  };
}

/** The command as a shell block: exports, then the command with one flag per continued line. */
export function shellLines(command: BootstrapCommand): string[] {
  const [first, ...flags] = command.lines;
  return [...command.environment, [first, ...flags.map((flag) => `  ${flag}`)].join(' \\\n')];
}
