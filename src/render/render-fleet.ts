import { allServices, type FleetSpec } from '../model/fleet';
import { checkFleet } from '../model/check-model';
import { objectId, type KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { baseFiles, renderServiceBase } from './base';
import { renderCluster, type RenderedCluster } from './cluster';

export interface RenderOptions {
  /** Render only these clusters (and the bases they use). @default - every cluster */
  readonly clusters?: readonly string[];
}

export interface RenderResult {
  /** Path (relative to the output root) → file content. Empty when there are errors. */
  readonly files: ReadonlyMap<string, string>;
  readonly clusters: readonly RenderedCluster[];
  readonly problems: readonly Problem[];
}

/**
 * The whole fleet, rendered in memory: nothing touches the disk here, so a model error can
 * never leave half-written output behind.
 */
export function renderFleet(fleet: FleetSpec, options: RenderOptions = {}): RenderResult {
  const problems = checkFleet(fleet);
  const unknown = (options.clusters ?? []).filter((name) => !fleet.clusters.some((c) => c.name === name));
  problems.push(
    ...unknown.map((name) =>
      error('model/unknown-cluster', { cluster: name }, `no cluster named "${name}"`, `known clusters: ${fleet.clusters.map((c) => c.name).join(', ')}`),
    ),
  );
  if (problems.some((p) => p.severity === 'error')) return { files: new Map(), clusters: [], problems };

  const clusters = fleet.clusters.filter((c) => !options.clusters || options.clusters.includes(c.name));
  const wanted = new Set(options.clusters ? clusters.flatMap((c) => c.services) : allServices(fleet).map((e) => e.service.name));
  const files = new Map<string, string>();
  const bases = new Map<string, KubeObject[]>();
  for (const entry of allServices(fleet).filter((e) => wanted.has(e.service.name))) {
    const objects = renderServiceBase(fleet, entry);
    bases.set(entry.service.name, objects);
    for (const [path, content] of baseFiles(entry, objects)) files.set(path, content);
  }
  const rendered = clusters.map((cluster) => renderCluster(fleet, cluster, bases));
  for (const cluster of rendered) {
    problems.push(...duplicateObjects(cluster));
    for (const [path, content] of cluster.files) {
      if (files.has(path)) {
        problems.push(error('render/duplicate-file', { cluster: cluster.spec.name, field: path }, `two objects render to ${path}`, 'rename one of the objects'));
      }
      files.set(path, content);
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { files: new Map(), clusters: rendered, problems };
  return { files: new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))), clusters: rendered, problems };
}

/**
 * Two objects with the same kind, namespace and name would silently overwrite each other on
 * apply (and in cdk8s output, cdk8s#2821): refuse them.
 */
function duplicateObjects(cluster: RenderedCluster): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const obj of cluster.objects) {
    const id = `${obj.apiVersion.split('/')[0]}|${objectId(obj)}`;
    if (seen.has(id)) {
      problems.push(
        error('render/duplicate-object', { cluster: cluster.spec.name, namespace: obj.metadata.namespace, object: `${obj.kind}/${obj.metadata.name}` }, `${objectId(obj)} is rendered twice`, 'give the services or their objects distinct names'),
      );
    }
    seen.add(id);
  }
  return problems;
}
