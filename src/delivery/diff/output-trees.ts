import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeObject } from '../../model/kube-object';
import { error, FleetError } from '../../model/problem';
import { kustomizeCluster } from '../../render/kustomize-build';
import { CLUSTERS_DIR, clusterDir, DIST_DIR } from '../../render/layout';
import { diffClusters, type ClusterObjects, type DiffOptions, type ObjectDiff } from './semantic-diff';

/**
 * The I/O of the diff: output trees on disk (a fresh render, a Git ref, a checkout of the config
 * repository) turned into the objects Flux would apply, with one `kubectl kustomize` per cluster.
 */

/** The generated entry point every rendered cluster has (flux bootstrap's Kustomization applies it). */
const CLUSTER_ENTRY = 'kustomization.yaml';

/** Clusters of an output tree: directories under clusters/ that hold the generated entry point. */
export function treeClusters(root: string): string[] {
  const dir = join(root, CLUSTERS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(join(dir, name)).isDirectory() && existsSync(join(dir, name, CLUSTER_ENTRY)) && existsSync(join(dir, name, 'apps.yaml')))
    .sort();
}

/** What Flux applies for one cluster of a tree (entry files and every Flux path); nothing when the tree lacks the cluster. */
export function clusterObjects(root: string, cluster: string): KubeObject[] {
  if (!existsSync(join(root, clusterDir(cluster), CLUSTER_ENTRY))) return [];
  let built: KubeObject[];
  try {
    built = kustomizeCluster(root, cluster);
  } catch (cause) {
    const detail = (cause as { stderr?: Buffer | string }).stderr?.toString().trim() || String(cause);
    throw new FleetError([error('diff/kustomize-failed', { cluster, field: root }, `kubectl kustomize cannot build cluster ${cluster}: ${detail.split('\n')[0]}`, 'check that kubectl is installed and the tree builds (`npm run check` for the fresh render)')]);
  }
  return built;
}

/** Objects per cluster of a tree, for the given clusters. */
export function treeObjects(root: string, clusters: readonly string[]): ClusterObjects {
  return new Map(clusters.map((cluster) => [cluster, clusterObjects(root, cluster)]));
}

/**
 * The generated output (clusters/ and dist/) as committed at a Git ref, extracted into a
 * temporary directory with `git archive`. A ref without output yields an empty tree, so the
 * first render diffs as all-added.
 */
export function extractRef(repository: string, ref: string): string {
  const git = (args: string[]) => execFileSync('git', ['-C', repository, ...args], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new FleetError([error('diff/unknown-ref', { field: ref }, `"${ref}" is not a commit of ${repository}`, 'pass a branch, tag or commit, e.g. --base origin/main (fetch it first in CI: fetch-depth: 0)')]);
  }
  const dir = mkdtempSync(join(tmpdir(), 'fleet-diff-base-'));
  const top = git(['ls-tree', '--name-only', ref]).toString().split('\n');
  const paths = [CLUSTERS_DIR, DIST_DIR].filter((path) => top.includes(path));
  if (paths.length > 0) {
    const archive = git(['archive', '--format=tar', ref, '--', ...paths]);
    execFileSync('tar', ['-x', '-C', dir], { input: archive, maxBuffer: 1 << 30 });
  }
  return dir;
}

export interface TreeDiffOptions extends DiffOptions {
  /** Compare only these clusters. @default - every cluster in either tree */
  readonly clusters?: readonly string[];
}

/** The semantic diff of two output trees on disk (base: before, head: after). */
export function diffTrees(base: string, head: string, options: TreeDiffOptions = {}): ObjectDiff[] {
  const clusters = options.clusters ?? [...new Set([...treeClusters(base), ...treeClusters(head)])].sort();
  return diffClusters(treeObjects(base, clusters), treeObjects(head, clusters), options);
}
