import { fleet } from '../environments';
import { objectId, type KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { findDrift } from '../render/drift';
import { cloneJson, diffJson, type JsonValue } from '../render/json-patch';
import { kustomizeCluster } from '../render/kustomize-build';
import { renderFleet } from '../render/render-fleet';
import { parseFlags, reportProblems, runCommand } from './lib/cli';

/**
 * `npm run check`: is the committed output exactly what the model renders (drift), and does
 * every cluster build with the real `kubectl kustomize` into those objects?
 * Prints every problem and one summary line; exits 1 on errors.
 */
export function check(argv: readonly string[], root = process.cwd()): number {
  const { flags } = parseFlags(argv);
  const started = process.hrtime.bigint();
  const result = renderFleet(fleet, { clusters: flags.get('cluster') });
  const problems: Problem[] = [...result.problems];
  if (!problems.some((p) => p.severity === 'error')) {
    problems.push(...findDrift(root, result.files));
    if (!problems.some((p) => p.code.startsWith('drift/'))) {
      for (const cluster of result.clusters) problems.push(...compareBuild(cluster.spec.name, kustomizeCluster(root, cluster.spec.name), cluster.objects));
    }
  }
  reportProblems(problems);
  const errors = problems.filter((p) => p.severity === 'error' && !p.waived).length;
  const warnings = problems.length - errors;
  const objects = result.clusters.reduce((sum, c) => sum + c.objects.length, 0);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${objects} objects in ${result.clusters.length} clusters, ${errors} errors, ${warnings} warnings (${ms.toFixed(0)} ms)\n`);
  return errors > 0 ? 1 : 0;
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

if (require.main === module) runCommand(() => check(process.argv.slice(2)));
