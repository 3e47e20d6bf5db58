import type { FleetSpec } from '../model/fleet';
import { FleetError, type Problem } from '../model/problem';
import { fleetClusterObjects, validateFleet } from '../validate/validate-fleet';
import { convergeFleet } from '../converge/converge-fleet';
import type { ValidationSummary } from '../validate/validate-cluster';
import type { ClusterSecrets } from './cluster';
import { clusterDir } from './layout';
import { renderFleet, type RenderResult } from './render-fleet';
import { loadUnitCache, saveUnitCache } from './unit-cache';
import { writeOutput, type WriteReport } from './write-output';

export interface SynthesizeOptions {
  /** Only these clusters. @default - all */
  readonly clusters?: readonly string[];
  /** Ignore the unit cache and render every unit. @default false */
  readonly full?: boolean;
  readonly secrets?: ReadonlyMap<string, ClusterSecrets>;
  /** Generator version (hash of the running code): a new generator invalidates the cache. */
  readonly generator: string;
}

export interface SynthesizeReport {
  readonly result: RenderResult;
  readonly validation: ValidationSummary;
  /** Warnings and waived findings (errors throw). */
  readonly findings: readonly Problem[];
  readonly write: WriteReport;
  readonly reusedUnits: number;
}

/**
 * The synth pipeline: render (reusing unchanged units), validate, and only then write. Every
 * error — model, render or validation — throws a FleetError before a single file is touched.
 *
 * A full render validates each cluster completely (schemas, references, policy) and checks that
 * the controllers converge on it (src/converge). An
 * incremental one validates what it re-rendered with the object-local rules (schemas,
 * policy); the reference checks need every object of the cluster and run in `npm run check`
 * and in every full synth (`--full`, and always in CI).
 */
export function synthesize(fleet: FleetSpec, root: string, options: SynthesizeOptions): SynthesizeReport {
  const cache = options.full ? undefined : loadUnitCache(root, options.generator);
  const result = renderFleet(fleet, { clusters: options.clusters, secrets: options.secrets, reuse: cache?.reuse, generator: options.generator });
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new FleetError(errors);
  const reusedUnits = result.units.filter((unit) => unit.reused);
  const complete = reusedUnits.length === 0;
  const { results, summary } = validateFleet(
    fleet,
    result.clusters.map((cluster) => fleetClusterObjects(cluster.spec, cluster.production, cluster.objects)),
    { references: complete, pathExists: (path) => result.files.has(`${path.replace(/^\.\//, '')}/kustomization.yaml`) },
  );
  // What the controllers will do with the output needs every object of a cluster, like the reference checks.
  const converged = complete ? convergeFleet(fleet, result.clusters.map((cluster) => ({ name: cluster.spec.name, ...cluster.flux }))) : [];
  const findings = [...results.flatMap((r) => r.problems), ...converged];
  const validationErrors = findings.filter((p) => p.severity === 'error' && !p.waived);
  if (validationErrors.length > 0) throw new FleetError(validationErrors);
  const write = writeOutput(root, result.files, {
    scope: options.clusters ? options.clusters.map(clusterDir) : undefined,
    keep: reusedUnits.flatMap((unit) => unit.files),
    sweepTemporaries: reusedUnits.length === 0,
  });
  saveUnitCache(root, options.generator, result.units, cache?.verified);
  return { result, validation: summary, findings: [...result.problems, ...findings.filter((p) => p.severity !== 'error' || p.waived)], write, reusedUnits: reusedUnits.length };
}
