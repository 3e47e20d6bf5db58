import { Construct } from 'constructs';
import { GitRepository } from '../../../imports/flux-source-gitrepository-source.toolkit.fluxcd.io';
import type { FluxSourceSpec } from '../../model/cluster';
import { MANAGED_BY, MANAGED_BY_LABEL } from '../labels';

export interface FleetGitSourceProps {
  readonly cluster: string;
  readonly source: FluxSourceSpec;
  /** @default 'fleet' */
  readonly name?: string;
  /** How often Flux polls the repository. @default '1m' */
  readonly interval?: string;
  /**
   * Directories (relative to the project root) that HelmReleases of this cluster read charts
   * from, kept in the artifact next to the cluster's directory and `dist/`.
   * @default []
   */
  readonly chartPaths?: readonly string[];
}

export const FLUX_NAMESPACE = 'flux-system';
export const FLEET_SOURCE_NAME = 'fleet';

/** `clusters/…` inside the config repository, honouring a sub-directory. */
export function repoPath(source: FluxSourceSpec, relative: string): string {
  const prefix = (source.path ?? '').replace(/^\.?\/*/, '').replace(/\/*$/, '');
  return `./${prefix ? `${prefix}/` : ''}${relative}`;
}

/**
 * gitignore rules that keep only `clusters/<cluster>/` and `dist/` (under the optional
 * sub-directory) in the artifact: exclude everything at each level, then re-include one entry.
 */
export function sourceIgnore(source: FluxSourceSpec, cluster: string, chartPaths: readonly string[] = []): string {
  const segments = [...(source.path ?? '').split('/').filter((s) => s && s !== '.')];
  const rules: string[] = [];
  let prefix = '';
  for (const segment of segments) {
    rules.push(`${prefix}/*`, `!${prefix}/${segment}/`);
    prefix += `/${segment}`;
  }
  rules.push(`${prefix}/*`, `!${prefix}/clusters/`, `!${prefix}/dist/`, `${prefix}/clusters/*`, `!${prefix}/clusters/${cluster}/`);
  // A chart directory: re-include each level of its path, excluding that level's other entries.
  for (const path of [...new Set(chartPaths)].sort()) {
    const parts = path.split('/').filter((s) => s && s !== '.');
    let at = prefix;
    parts.forEach((part, i) => {
      if (i > 0) rules.push(`${at}/*`);
      rules.push(`!${at}/${part}/`);
      at += `/${part}`;
    });
  }
  return `${rules.join('\n')}\n`;
}

/**
 * The source.toolkit.fluxcd.io/v1 GitRepository the cluster's Kustomizations build from.
 * `spec.ignore` narrows the artifact to this cluster's directory and the shared bases, so a
 * change for one cluster does not make every other cluster re-reconcile.
 *
 * @see https://fluxcd.io/flux/components/source/gitrepositories/
 */
export class FleetGitSource extends Construct {
  readonly resource: GitRepository;

  constructor(scope: Construct, id: string, props: FleetGitSourceProps) {
    super(scope, id);
    this.resource = new GitRepository(this, 'Resource', {
      metadata: { name: props.name ?? FLEET_SOURCE_NAME, namespace: FLUX_NAMESPACE, labels: { [MANAGED_BY_LABEL]: MANAGED_BY } },
      spec: {
        url: props.source.url,
        ref: { branch: props.source.branch ?? 'main' },
        interval: props.interval ?? '1m',
        secretRef: { name: props.source.secretName ?? 'flux-system' },
        ignore: sourceIgnore(props.source, props.cluster, props.chartPaths),
      },
    });
  }
}
