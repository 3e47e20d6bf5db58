import type { FleetSpec } from '../model/fleet';
import { objectId, type KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import type { ValidateOptions } from '../validate/validate-options';
import { fleetClusterObjects, validateFleet } from '../validate/validate-fleet';
import { summarize, type ValidationSummary } from '../validate/validate-cluster';
import { findDrift } from './drift';
import { clusterDir } from './layout';
import { cloneJson, diffJson, type JsonValue } from './json-patch';
import { kustomizeClusterBuilds, type KustomizeCacheUse } from './kustomize-build';
import { convergeFleet } from '../converge/converge-fleet';
import { pruneCachedBuilds } from './kustomize-cache';
import { chartDirectoryProblems } from './chart-directories';
import { leakProblems, renderWithSecrets, sealedSecretsSinceBase } from './secrets';

export interface VerifyOptions {
  readonly env: NodeJS.ProcessEnv;
  /** @default - every cluster */
  readonly clusters?: readonly string[];
  /**
   * Reuse `kubectl kustomize` builds of Flux paths whose input files are byte-identical to a
   * cached build's (kustomize-cache.ts).
   * @default true
   */
  readonly kustomizeCache?: boolean;
  /** Validation settings over the defaults for the output root (e.g. the CRD directory). @default {} */
  readonly validate?: ValidateOptions;
  /**
   * Told what the run is doing ("kubectl kustomize 3/15 Flux paths"), for a progress line on a
   * terminal (src/commands/lib/progress.ts). Never told anything secret.
   * @default - silent
   */
  readonly progress?: (message: string) => void;
}

export interface VerifyReport {
  readonly problems: readonly Problem[];
  readonly summary: ValidationSummary;
  /** Flux paths built with kubectl, and reused from the cache. */
  readonly kustomize: { readonly built: number; readonly reused: number };
}

/**
 * What `npm run check` (and so `npm test` and CI) verifies about the committed output:
 * 1. no unencrypted Secret anywhere in dist/ or clusters/ (leak scan), and no SealedSecret
 *    ciphertext swapped since the base revision while its source stayed the same;
 * 2. no drift: the files are exactly what a fresh render of the model gives;
 * 3. every Flux path of every cluster builds with the real `kubectl kustomize` into exactly the
 *    objects the model implies (kubectl calls run in parallel, one per Flux Kustomization);
 * 4. those built objects pass validation — schemas, references, fleet policy — as Flux would
 *    apply them;
 * 5. the controllers converge on them (src/converge): reachability, delivery, readiness, ownership.
 */
export async function verifyOutput(fleet: FleetSpec, root: string, options: VerifyOptions): Promise<VerifyReport> {
  const progress = options.progress ?? (() => undefined);
  progress('rendering the fleet');
  const result = await renderWithSecrets(fleet, root, { env: options.env, clusters: options.clusters });
  const problems: Problem[] = [...result.problems, ...leakProblems(root), ...sealedSecretsSinceBase(root, options.env, options.clusters), ...chartDirectoryProblems(fleet, root)];
  const none = { built: 0, reused: 0 };
  if (problems.some((p) => p.severity === 'error')) return { problems, summary: summarize([]), kustomize: none };
  progress('comparing with the committed output');
  problems.push(...findDrift(root, result.files, options.clusters?.map(clusterDir)));
  if (problems.some((p) => p.code.startsWith('drift/'))) return { problems, summary: summarize([]), kustomize: none };
  const cache: KustomizeCacheUse | undefined = options.kustomizeCache === false ? undefined : { root, used: new Set(), built: 0, reused: 0 };
  const builds = await kustomizeClusterBuilds(root, result.clusters.map((cluster) => cluster.spec.name), undefined, cache, (done, total) =>
    progress(`kubectl kustomize: ${done}/${total} Flux paths built or reused`),
  );
  const built = [];
  for (const cluster of result.clusters) {
    const build = builds.get(cluster.spec.name);
    const objects = build ? [...build.entry, ...[...build.builds.values()].flat()] : [];
    problems.push(...compareBuild(cluster.spec.name, objects, cluster.objects));
    built.push(fleetClusterObjects(cluster.spec, cluster.production, objects));
  }
  // Only a check of every cluster knows which cached builds are still wanted.
  if (cache && !options.clusters) pruneCachedBuilds(root, cache.used);
  progress(`validating ${built.reduce((sum, cluster) => sum + cluster.objects.length, 0)} objects`);
  const validation = validateFleet(fleet, built, { projectRoot: root, ...options.validate });
  problems.push(...validation.results.flatMap((r) => r.problems));
  // 5. what the controllers then do with those objects converges: reachability, delivery, readiness, ownership.
  progress('checking what the controllers make of them (converge)');
  problems.push(...convergeFleet(fleet, [...builds].map(([name, build]) => ({ name, entry: build.entry, builds: build.builds, argoCd: build.argoCd }))));
  return { problems, summary: validation.summary, kustomize: cache ? { built: cache.built, reused: cache.reused } : { built: built.length, reused: 0 } };
}

function compareBuild(cluster: string, built: readonly KubeObject[], expected: readonly KubeObject[]): Problem[] {
  const key = (obj: KubeObject) => `${obj.apiVersion}|${objectId(obj)}`;
  const builtById = new Map(built.map((obj) => [key(obj), obj as unknown as JsonValue]));
  const problems: Problem[] = [];
  const fix = 'run `npm run synth`; if this persists, the overlay does not reproduce the model (a generator bug)';
  for (const obj of expected) {
    const got = builtById.get(key(obj));
    const place = { cluster, namespace: obj.metadata.namespace, object: `${obj.kind}/${obj.metadata.name}` };
    if (got === undefined) {
      problems.push(error('kustomize/missing-object', place, 'kustomize build does not produce this object', fix));
      continue;
    }
    const [first] = diffJson(cloneJson(obj) as unknown as JsonValue, got);
    if (first) problems.push(error('kustomize/mismatch', { ...place, field: first.path }, 'kustomize builds this object differently from the model', fix));
  }
  return problems;
}
