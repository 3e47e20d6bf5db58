import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { groupOf, namespaceOf } from '../cluster-index';
import { childPath } from '../field-path';
import { list, record, str } from '../json';
import type { ValidationContext } from '../validation-context';

/**
 * Flux ordering and sources:
 * `ref/flux-path-missing` — a Kustomization's `spec.path` exists in the repository;
 * `ref/flux-dependency-missing` — each `dependsOn` names a Kustomization (or HelmRelease, for
 *   HelmReleases) that exists, in the same namespace unless it says otherwise;
 * `ref/flux-dependency-cycle` — `dependsOn` has no cycle (Flux would wait forever, silently).
 */
export function checkFluxKustomizations(ctx: ValidationContext): Problem[] {
  const kustomizations = fluxObjects(ctx, 'Kustomization', 'kustomize.toolkit.fluxcd.io');
  const releases = fluxObjects(ctx, 'HelmRelease', 'helm.toolkit.fluxcd.io');
  return [...kustomizations.flatMap((k) => checkPath(k, ctx)), ...checkDependencies(kustomizations, ctx), ...checkDependencies(releases, ctx)];
}

function fluxObjects(ctx: ValidationContext, kind: string, group: string): KubeObject[] {
  return ctx.index.ofKind(kind).filter((o) => groupOf(o.apiVersion) === group);
}

function checkPath(kustomization: KubeObject, ctx: ValidationContext): Problem[] {
  const repoPath = str(record(kustomization.spec).path);
  if (repoPath === undefined) return [];
  const normalised = repoPath.replace(/^\.\//, '').replace(/\/+$/, '') || '.';
  if (ctx.options.pathExists(normalised)) return [];
  return [
    error(
      'ref/flux-path-missing',
      ctx.placeOf(kustomization, 'spec.path'),
      `Flux Kustomization ${kustomization.metadata.name} builds path "${repoPath}", which does not exist in the repository; Flux would fail with "kustomization path not found".`,
      'Render that directory (run synth), or fix spec.path relative to the repository root.',
    ),
  ];
}

const idOf = (namespace: string, name: string) => `${namespace}/${name}`;

function checkDependencies(objects: readonly KubeObject[], ctx: ValidationContext): Problem[] {
  const byId = new Map(objects.map((o) => [idOf(namespaceOf(o), o.metadata.name), o] as const));
  const edges = new Map<string, string[]>();
  const problems: Problem[] = [];
  for (const obj of objects) {
    const from = idOf(namespaceOf(obj), obj.metadata.name);
    const targets: string[] = [];
    list(record(obj.spec).dependsOn).forEach((dep, i) => {
      const name = str(record(dep).name);
      if (!name) return;
      const target = idOf(str(record(dep).namespace) ?? namespaceOf(obj), name);
      if (byId.has(target)) targets.push(target);
      else {
        problems.push(
          error(
            'ref/flux-dependency-missing',
            ctx.placeOf(obj, childPath('spec.dependsOn', i, 'name')),
            `${obj.kind} ${obj.metadata.name} depends on ${obj.kind} ${target}, which is not rendered for cluster ${ctx.cluster}; Flux would never apply it.`,
            `Fix the dependsOn entry, or render ${obj.kind} ${target}.`,
          ),
        );
      }
    });
    edges.set(from, targets);
  }
  for (const cycle of findCycles(edges)) {
    const first = byId.get(cycle[0])!;
    problems.push(
      error(
        'ref/flux-dependency-cycle',
        ctx.placeOf(first, 'spec.dependsOn'),
        `${first.kind} dependsOn forms a cycle: ${[...cycle, cycle[0]].join(' → ')}; Flux waits on it forever.`,
        'Remove one dependsOn edge of the cycle.',
      ),
    );
  }
  return problems;
}

/**
 * Each elementary cycle once, starting at its smallest id, via Tarjan's strongly connected
 * components (a component with more than one node, or a self-loop, contains a cycle).
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];

  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      const selfLoop = component.length === 1 && (edges.get(node) ?? []).includes(node);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node);

  // Report the component as one path that walks its members in dependency order.
  return components.map((component) => orderCycle(component, edges)).sort((a, b) => a[0].localeCompare(b[0]));
}

function orderCycle(component: readonly string[], edges: ReadonlyMap<string, readonly string[]>): string[] {
  const members = new Set(component);
  const start = [...component].sort()[0];
  const path = [start];
  const seen = new Set(path);
  let current = start;
  for (;;) {
    const next = (edges.get(current) ?? []).filter((n) => members.has(n)).sort().find((n) => !seen.has(n));
    if (!next) break;
    path.push(next);
    seen.add(next);
    current = next;
  }
  return path;
}
