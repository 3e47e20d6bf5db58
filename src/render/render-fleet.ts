import { allServices, type FleetSpec } from '../model/fleet';
import { checkFleet } from '../model/check-model';
import { objectId, type KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { baseFiles } from './base';
import { appBase, renderServiceBase, type ComponentBase } from './components';
import { allApps } from '../model/apps';
import { plaintextSecretProblems } from './secrets/plaintext-gate';
import { serializeFile, type GeneratedFile } from './yaml';
import { renderCluster, type ClusterSecrets, type RenderedCluster } from './cluster';
import { resolveService } from '../model/resolve';
import { inputHash, type RenderedUnit, type ReuseLookup } from './render-units';

export interface RenderOptions {
  /** Render only these clusters (and the bases they use). @default - every cluster */
  readonly clusters?: readonly string[];
  /** Secret objects per cluster name, prepared by the async secrets stage. @default - none */
  readonly secrets?: ReadonlyMap<string, ClusterSecrets>;
  /**
   * Incremental synth: units whose input hash is unchanged (and whose files are intact) are not
   * re-rendered. @default - render everything
   */
  readonly reuse?: ReuseLookup;
  /** Version of the generator, part of every unit's input hash. @default 'dev' */
  readonly generator?: string;
}

export interface RenderResult {
  /** Path (relative to the output root) → file content. Empty when there are errors. */
  readonly files: ReadonlyMap<string, string>;
  /** The same files before serialisation (what the benchmark's YAML floor serialises). */
  readonly documents: ReadonlyMap<string, GeneratedFile>;
  readonly clusters: readonly RenderedCluster[];
  readonly problems: readonly Problem[];
  /** Every unit with its files; reused units' files are on disk and not in `files`. */
  readonly units: readonly RenderedUnit[];
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
  if (problems.some((p) => p.severity === 'error')) return { files: new Map(), documents: new Map(), clusters: [], problems, units: [] };

  const clusters = fleet.clusters.filter((c) => !options.clusters || options.clusters.includes(c.name));
  const wanted = new Set(options.clusters ? clusters.flatMap((c) => c.services) : allServices(fleet).map((e) => e.service.name));
  const wantedApps = new Set(options.clusters ? clusters.flatMap((c) => c.apps ?? []) : allApps(fleet).map((e) => e.app.name));
  const generator = options.generator ?? 'dev';
  const files = new Map<string, GeneratedFile>();
  const units: RenderedUnit[] = [];
  const bases = new Map<string, ComponentBase>();
  const components = [
    ...allServices(fleet)
      .filter((e) => wanted.has(e.service.name))
      .map((entry) => {
        const resolved = resolveService(fleet, entry.system, entry.service);
        let objects: readonly KubeObject[] | undefined;
        const charts = (entry.service.charts ?? []).map((chart) => ({ id: chart.id, values: chart.values }));
        const base: ComponentBase = { input: { resolved, charts }, objects: () => (objects ??= renderServiceBase(entry, resolved)) };
        return { name: entry.service.name, definition: entry.system.definition, base };
      }),
    ...allApps(fleet)
      .filter((e) => wantedApps.has(e.app.name))
      .map((entry) => ({ name: entry.app.name, definition: entry.system.definition, base: appBase(entry) })),
  ];
  for (const { name, definition, base } of components) {
    bases.set(name, base);
    const key = `base/${name}`;
    const input = inputHash(generator, base.input);
    const reused = options.reuse?.(key, input);
    if (reused) {
      units.push({ key, input, files: reused, reused: true });
      continue;
    }
    const objects = base.objects();
    // The base is written even where no cluster renders an object of it: gate it too.
    problems.push(...plaintextSecretProblems(objects, { service: name, definition }));
    const baseOutput = baseFiles(name, definition, objects);
    for (const [path, content] of baseOutput) files.set(path, content);
    units.push({ key, input, files: [...baseOutput.keys()], reused: false });
  }
  const baseOf = (name: string): ComponentBase => {
    const base = bases.get(name);
    if (!base) throw new Error(`unchecked model: no base for ${name}`);
    return base;
  };
  const rendered = clusters.map((cluster) =>
    renderCluster(fleet, cluster, { bases: baseOf, secrets: options.secrets?.get(cluster.name), reuse: options.reuse, generator }),
  );
  units.push(...rendered.flatMap((cluster) => cluster.units));
  for (const cluster of rendered) {
    problems.push(...duplicateObjects(cluster), ...cluster.problems);
    // Leak gate: a Secret with data that sops did not encrypt is never rendered.
    problems.push(...plaintextSecretProblems(cluster.objects, { cluster: cluster.spec.name }));
    for (const [path, content] of cluster.files) {
      if (files.has(path)) {
        problems.push(error('render/duplicate-file', { cluster: cluster.spec.name, field: path }, `two objects render to ${path}`, 'rename one of the objects'));
      }
      files.set(path, content);
    }
  }
  if (problems.some((p) => p.severity === 'error')) return { files: new Map(), documents: new Map(), clusters: rendered, problems, units: [] };
  const documents = new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const text = new Map([...documents].map(([path, file]) => [path, serializeFile(file)] as const));
  return { files: text, documents, clusters: rendered, problems, units };
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
