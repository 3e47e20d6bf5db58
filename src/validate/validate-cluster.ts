import { type Problem } from '../model/problem';
import { checkApiRules } from './api/check-api';
import { checkPolicy } from './policy/check-policy';
import { applyWaivers, checkWaivers } from './policy/waivers';
import { checkReferences } from './references/check-references';
import { loadCrdCatalog } from './schema/crd-catalog';
import { providerCrds } from './schema/provider-crds';
import { checkSchemas } from './schema/validate-schema';
import { resolveOptions, type ValidateOptions } from './validate-options';
import { createContext, type ClusterInput } from './validation-context';

/**
 * Validates one cluster's rendered objects (the output of `kubectl kustomize` of its overlays):
 * schemas, cross-object references and fleet policy, with waivers applied. Returns every
 * finding, sorted so that two runs over the same input print the same report.
 */
export function validateCluster(input: ClusterInput, options: ValidateOptions = {}): Problem[] {
  const resolved = resolveOptions(options);
  const ctx = createContext(input, resolved);
  const catalog = loadCrdCatalog(resolved.crdDirectory, [...ctx.index.objects, ...providerCrds(input.provider)]);
  const findings = [...checkSchemas(ctx, catalog, input.objects), ...checkApiRules(ctx), ...(resolved.references ? checkReferences(ctx) : []), ...checkPolicy(ctx)];
  const waiverProblems = checkWaivers(resolved.waivers, input.cluster, ctx.services, ctx.serviceDefinitions);
  return sortProblems([...applyWaivers(findings, resolved.waivers), ...waiverProblems]);
}

const SORT_KEYS = ['cluster', 'namespace', 'object', 'field'] as const;

/** Deterministic order: by cluster, namespace, object, field, then rule and message. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const compare = (a: string | undefined, b: string | undefined) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  return [...problems].sort((a, b) => {
    for (const key of SORT_KEYS) {
      const c = compare(a.place[key], b.place[key]);
      if (c !== 0) return c;
    }
    return compare(a.code, b.code) || compare(a.message, b.message);
  });
}

/** One cluster's validation, as `summarize` counts it. */
export interface ClusterValidation {
  readonly cluster: string;
  /** Number of objects validated. */
  readonly objects: number;
  readonly problems: readonly Problem[];
}

export interface ValidationSummary {
  readonly objects: number;
  readonly clusters: number;
  /** Unwaived errors: what fails the run. */
  readonly errors: number;
  readonly warnings: number;
  /** Findings a service waived. */
  readonly waived: number;
  /** `1200 objects in 3 clusters, 2 errors, 1 warning` */
  readonly line: string;
}

export function summarize(results: readonly ClusterValidation[]): ValidationSummary {
  const problems = results.flatMap((r) => r.problems);
  const objects = results.reduce((sum, r) => sum + r.objects, 0);
  const clusters = new Set(results.map((r) => r.cluster)).size;
  const errors = problems.filter((p) => p.severity === 'error' && !p.waived).length;
  const warnings = problems.filter((p) => p.severity === 'warning' && !p.waived).length;
  const waived = problems.filter((p) => p.waived).length;
  const line = `${count(objects, 'object')} in ${count(clusters, 'cluster')}, ${count(errors, 'error')}, ${count(warnings, 'warning')}${waived ? ` (${waived} waived)` : ''}`;
  return { objects, clusters, errors, warnings, waived, line };
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
