import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../model/kube-object';
import { buildKey, readCachedBuild, writeCachedBuild } from './kustomize-cache';
import { argoCdApplicationsDir, argoCdDir } from './argocd';
import { clusterDir } from './layout';
import { parseYamlDocuments } from './yaml';

const execFileAsync = promisify(execFile);

/**
 * The files flux bootstrap's Kustomization applies from `clusters/<cluster>/` besides
 * flux-system: the resources of the cluster's kustomization.yaml.
 */
export function entryFiles(root: string, cluster: string): string[] {
  const [kustomization] = parseYamlDocuments(readFileSync(join(root, clusterDir(cluster), 'kustomization.yaml'), 'utf8')) as { resources?: string[] }[];
  return (kustomization?.resources ?? []).filter((resource) => resource !== 'flux-system');
}

function entryObjects(root: string, cluster: string): KubeObject[] {
  return entryFiles(root, cluster).flatMap((file) => parseYamlDocuments(readFileSync(join(root, clusterDir(cluster), file), 'utf8')) as KubeObject[]);
}

interface FluxKustomizationDoc {
  kind?: string;
  spec?: { path?: string };
}

/**
 * Paths (relative to the output root) every Flux Kustomization of a cluster builds, read from
 * the rendered entry files, so the check follows exactly what Flux would do.
 */
export function fluxPaths(root: string, cluster: string): string[] {
  return entryFiles(root, cluster).flatMap((file) =>
    (parseYamlDocuments(readFileSync(join(root, clusterDir(cluster), file), 'utf8')) as FluxKustomizationDoc[])
      .filter((doc) => doc.kind === 'Kustomization' && doc.spec?.path)
      .map((doc) => (doc.spec?.path as string).replace(/^\.\//, '')),
  );
}

/**
 * Paths the cluster's Argo CD Applications apply (the app-of-apps children in
 * `clusters/<cluster>/argocd/applications/`, see src/render/argocd.ts); none on Flux-only clusters.
 */
export function argoCdPaths(root: string, cluster: string): string[] {
  const dir = join(root, argoCdApplicationsDir(cluster));
  if (!existsSync(join(dir, 'kustomization.yaml'))) return [];
  const [kustomization] = parseYamlDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] }[];
  return (kustomization?.resources ?? []).flatMap((file) =>
    (parseYamlDocuments(readFileSync(join(dir, file), 'utf8')) as { kind?: string; spec?: { source?: { path?: string } } }[])
      .filter((doc) => doc.kind === 'Application' && doc.spec?.source?.path)
      .map((doc) => (doc.spec?.source?.path as string).replace(/^\.\//, '')),
  );
}

/**
 * The Argo CD flavour as the converge checks need it: the objects of `clusters/<cluster>/argocd/`
 * (applied once by hand: the parent Application, argocd-cm) and the parent's directory of child
 * Applications, keyed by the path the parent applies. Read from the files (plain resources, no
 * kustomize transformation); none on Flux-only clusters.
 */
export function argoCdBuilds(root: string, cluster: string): { bootstrap: KubeObject[]; builds: Map<string, KubeObject[]> } | undefined {
  const documentsOf = (dir: string): KubeObject[] => {
    if (!existsSync(join(root, dir, 'kustomization.yaml'))) return [];
    const [kustomization] = parseYamlDocuments(readFileSync(join(root, dir, 'kustomization.yaml'), 'utf8')) as { resources?: string[] }[];
    return (kustomization?.resources ?? [])
      .filter((file) => /\.ya?ml$/.test(file))
      .flatMap((file) => parseYamlDocuments(readFileSync(join(root, dir, file), 'utf8')) as KubeObject[]);
  };
  const bootstrap = documentsOf(argoCdDir(cluster));
  if (bootstrap.length === 0) return undefined;
  const applicationsDir = argoCdApplicationsDir(cluster);
  const parentPaths = bootstrap
    .filter((o) => o.kind === 'Application')
    .map((o) => ((o.spec as { source?: { path?: string } } | undefined)?.source?.path ?? '').replace(/^\.\//, '').replace(/\/+$/, ''))
    .filter((path) => path.endsWith(applicationsDir));
  const applications = documentsOf(applicationsDir);
  return { bootstrap, builds: new Map(parentPaths.map((path) => [path, applications])) };
}

/** Every path a controller applies for the cluster: Flux's Kustomizations, then Argo CD's Applications. */
export function appliedPaths(root: string, cluster: string): string[] {
  return [...fluxPaths(root, cluster), ...argoCdPaths(root, cluster)];
}

/**
 * Builds everything Flux (and Argo CD, for the namespaces it owns) applies for a cluster with
 * the real `kubectl kustomize`, one call per applied path — exactly the builds kustomize-controller
 * and Argo CD's repo-server run. (One combined build is
 * much slower: kustomize time grows faster than linearly with the objects in one build.)
 */
export function kustomizeCluster(root: string, cluster: string): KubeObject[] {
  const entry = entryObjects(root, cluster);
  const built = appliedPaths(root, cluster).flatMap((path) => kustomizeBuild(join(root, path)));
  return [...entry, ...built];
}

/** Reuse of cached builds (kustomize-cache.ts) by `kustomizeClusterParallel`. */
export interface KustomizeCacheUse {
  /** Directory whose node_modules/.cache holds the builds. */
  readonly root: string;
  /** Keys of the builds this run used (to prune the others after a complete check). */
  readonly used: Set<string>;
  /** Counts, for the report. */
  built: number;
  reused: number;
}

/**
 * Like kustomizeCluster for several clusters at once, with up to `concurrency` kubectl processes
 * (CI's `npm run check`), and, given a cache, only for the Flux paths whose input files changed
 * since a build was cached. All clusters' paths share one pool, and each build is parsed as soon
 * as it arrives, while the next kubectl runs: no core waits for the slowest path of a cluster.
 */
export async function kustomizeClusters(
  root: string,
  clusters: readonly string[],
  concurrency = Math.max(1, availableParallelism()),
  cache?: KustomizeCacheUse,
  onBuilt?: (done: number, total: number) => void,
): Promise<Map<string, KubeObject[]>> {
  const builds = await kustomizeClusterBuilds(root, clusters, concurrency, cache, onBuilt);
  // Per cluster: the entry objects, then each path's build in the order Flux lists them.
  return new Map([...builds].map(([cluster, built]) => [cluster, [...built.entry, ...[...built.builds.values()].flat()]]));
}

/** One cluster as Flux applies it: the entry objects and what each Flux path builds to (keyed by path). */
export interface ClusterBuild {
  readonly entry: KubeObject[];
  readonly builds: Map<string, KubeObject[]>;
  /** The Argo CD flavour's bootstrap objects and directory of Applications (argoCdBuilds). */
  readonly argoCd?: { bootstrap: KubeObject[]; builds: Map<string, KubeObject[]> };
}

/** kustomizeClusters, keeping each Flux path's objects apart (the converge checks need to know which Kustomization applies what). */
export async function kustomizeClusterBuilds(
  root: string,
  clusters: readonly string[],
  concurrency = Math.max(1, availableParallelism()),
  cache?: KustomizeCacheUse,
  onBuilt?: (done: number, total: number) => void,
): Promise<Map<string, ClusterBuild>> {
  const jobs = clusters.flatMap((cluster) => appliedPaths(root, cluster).map((path) => ({ cluster, path })));
  const built: KubeObject[][] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      const dir = join(root, jobs[i].path);
      const key = cache ? buildKey(root, dir) : undefined;
      let output = cache && key ? readCachedBuild(cache.root, key) : undefined;
      if (output !== undefined) {
        if (cache) cache.reused++;
      } else {
        output = (await execFileAsync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1 << 30 })).stdout;
        if (cache && key) writeCachedBuild(cache.root, key, output);
        if (cache) cache.built++;
      }
      if (cache && key) cache.used.add(key);
      built[i] = parseYamlDocuments(output) as KubeObject[];
      onBuilt?.(++done, jobs.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  return new Map(
    clusters.map((cluster) => {
      const builds = new Map<string, KubeObject[]>();
      jobs.forEach((job, i) => {
        if (job.cluster === cluster) builds.set(job.path, [...(builds.get(job.path) ?? []), ...built[i]]);
      });
      return [cluster, { entry: entryObjects(root, cluster), builds, argoCd: argoCdBuilds(root, cluster) }];
    }),
  );
}

/** kustomizeClusters for one cluster. */
export async function kustomizeClusterParallel(root: string, cluster: string, concurrency?: number, cache?: KustomizeCacheUse): Promise<KubeObject[]> {
  return (await kustomizeClusters(root, [cluster], concurrency, cache)).get(cluster) ?? [];
}

export function kustomizeBuild(dir: string): KubeObject[] {
  const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
  return parseYamlDocuments(output) as KubeObject[];
}
