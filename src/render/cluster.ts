import type { Construct } from 'constructs';
import { FleetGitSource, FLUX_NAMESPACE, repoPath } from '../charts/flux/git-source';
import { FluxKustomization } from '../charts/flux/flux-kustomization';
import { clusterContext } from '../charts/microservice/cluster-context';
import { Microservice } from '../charts/microservice/microservice';
import { DeveloperAccess } from '../charts/platform/developer-access';
import { AppNamespace } from '../charts/platform/namespace';
import type { ClusterSpec } from '../model/cluster';
import type { NamespaceSpec } from '../model/environment';
import type { FleetSpec, ServiceEntry } from '../model/fleet';
import type { KubeObject } from '../model/kube-object';
import { environmentOf, resolveService, type ResolvedService } from '../model/resolve';
import { renderInfrastructure } from './infrastructure';
import { appsDir, baseDir, clusterDir, infraConfigsDir, infraControllersDir, kebabKind, objectFileName, relativeDir } from './layout';
import { computeOverlay, type Overlay } from './overlay';
import { synthObjects } from './synth-objects';
import { yamlFile } from './yaml';

/** Everything one cluster gets: its files and the objects Kustomize will build from them. */
export interface RenderedCluster {
  readonly spec: ClusterSpec;
  readonly production: boolean;
  /** Objects after `kubectl kustomize` of every path Flux applies, namespaces set. */
  readonly objects: readonly KubeObject[];
  readonly files: ReadonlyMap<string, string>;
}

interface PlacedService {
  readonly entry: ServiceEntry;
  readonly resolved: ResolvedService;
  readonly objects: KubeObject[];
}

const KUSTOMIZE = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' } as const;
export const INFRA_CONTROLLERS = 'infra-controllers';
export const INFRA_CONFIGS = 'infra-configs';

export function renderCluster(fleet: FleetSpec, cluster: ClusterSpec, bases: ReadonlyMap<string, readonly KubeObject[]>): RenderedCluster {
  const context = clusterContext(cluster);
  const placed = cluster.services.map((name): PlacedService => {
    const entry = findEntry(fleet, name);
    const environment = environmentOf(entry.system, cluster.environment);
    if (!environment) throw new Error(`unchecked model: ${entry.system.name} has no environment ${cluster.environment}`);
    const resolved = resolveService(fleet, entry.system, entry.service, { cluster, environment });
    const objects = synthObjects((scope) => new Microservice(scope, name, { service: resolved, cluster: context }));
    return { entry, resolved, objects };
  });
  const namespaces = groupByNamespace(placed);
  const source = cluster.definition ?? 'src/environments';
  const files = new Map<string, string>();
  const objects: KubeObject[] = [];

  for (const [namespace, services] of namespaces) {
    const overlay = computeOverlay(
      namespace,
      services.flatMap((s) => bases.get(s.entry.service.name) ?? []),
      services.flatMap((s) => s.objects),
    );
    for (const [path, content] of overlayFiles(cluster.name, overlay, services, source)) files.set(path, content);
    objects.push(...services.flatMap((s) => s.objects));
  }

  const infrastructure = renderInfrastructure(fleet, cluster);
  const platform = synthObjects((scope) => definePlatform(scope, fleet, cluster, [...namespaces.keys()]));
  const configs = [...platform, ...infrastructure.configs];
  for (const [path, content] of directoryFiles(infraControllersDir(cluster.name), infrastructure.controllers, source)) files.set(path, content);
  for (const [path, content] of directoryFiles(infraConfigsDir(cluster.name), configs, source)) files.set(path, content);
  objects.push(...infrastructure.controllers, ...configs);

  const flux = fluxEntryPoints(cluster, [...namespaces.keys()]);
  for (const [file, docs] of Object.entries(flux)) {
    files.set(`${clusterDir(cluster.name)}/${file}`, yamlFile(source, docs));
    objects.push(...docs);
  }
  files.set(
    `${clusterDir(cluster.name)}/kustomization.yaml`,
    yamlFile(source, [{ ...KUSTOMIZE, resources: ['flux-system', ...Object.keys(flux)] }]),
  );
  const production = fleet.systems.some((system) => environmentOf(system, cluster.environment)?.production === true);
  return { spec: cluster, production, objects, files };
}

function findEntry(fleet: FleetSpec, name: string): ServiceEntry {
  for (const system of fleet.systems) {
    const service = system.services.find((s) => s.name === name);
    if (service) return { service, system };
  }
  throw new Error(`unchecked model: unknown service ${name}`);
}

function groupByNamespace(placed: readonly PlacedService[]): Map<string, PlacedService[]> {
  const groups = new Map<string, PlacedService[]>();
  for (const item of placed) {
    const namespace = item.resolved.namespace as string;
    groups.set(namespace, [...(groups.get(namespace) ?? []), item]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function overlayFiles(cluster: string, overlay: Overlay, services: readonly PlacedService[], source: string): Map<string, string> {
  const dir = appsDir(cluster, overlay.namespace);
  const files = new Map<string, string>();
  const resourceNames = overlay.resources.map((obj) => `resources/${objectFileName(obj)}`);
  overlay.resources.forEach((obj, i) => files.set(`${dir}/${resourceNames[i]}`, yamlFile(source, [stripNamespace(obj)])));
  const patches = overlay.patches.map((patch) => {
    const path = `patches/${kebabKind(patch.target.kind)}-${patch.target.name}.yaml`;
    const body =
      patch.operations === 'delete'
        ? [{ apiVersion: patch.target.group ? `${patch.target.group}/${patch.target.version}` : patch.target.version, kind: patch.target.kind, metadata: { name: patch.target.name }, $patch: 'delete' }]
        : [patch.operations];
    files.set(`${dir}/${path}`, yamlFile(source, body));
    return { path, target: patch.target };
  });
  const bases = services.map((s) => relativeDir(dir, baseDir(s.entry.service.name))).sort();
  const kustomization: Record<string, unknown> = {
    ...KUSTOMIZE,
    namespace: overlay.namespace,
    resources: [...bases, ...resourceNames.sort()],
  };
  if (overlay.images.length > 0) kustomization.images = overlay.images;
  if (overlay.replicas.length > 0) kustomization.replicas = overlay.replicas;
  if (patches.length > 0) kustomization.patches = patches.sort((a, b) => a.path.localeCompare(b.path));
  files.set(`${dir}/kustomization.yaml`, yamlFile(source, [kustomization]));
  return files;
}

function stripNamespace(obj: KubeObject): KubeObject {
  const { namespace: _namespace, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** A directory of plain objects (no overlay): one file each, plus its kustomization.yaml. */
export function directoryFiles(dir: string, objects: readonly KubeObject[], source: string): Map<string, string> {
  const files = new Map<string, string>();
  const names = objects.map((obj) => (obj.metadata.namespace ? `${obj.metadata.namespace}-` : '') + objectFileName(obj));
  objects.forEach((obj, i) => files.set(`${dir}/${names[i]}`, yamlFile(source, [obj])));
  files.set(`${dir}/kustomization.yaml`, yamlFile(source, [{ ...KUSTOMIZE, resources: [...names].sort() }]));
  return files;
}

function namespaceSpec(fleet: FleetSpec, cluster: ClusterSpec, namespace: string): NamespaceSpec {
  for (const system of fleet.systems) {
    const spec = environmentOf(system, cluster.environment)?.namespaces?.[namespace];
    if (spec) return spec;
  }
  return {};
}

function definePlatform(scope: Construct, fleet: FleetSpec, cluster: ClusterSpec, namespaces: readonly string[]): void {
  for (const namespace of namespaces) {
    const spec = namespaceSpec(fleet, cluster, namespace);
    new AppNamespace(scope, `ns-${namespace}`, { name: namespace, mesh: cluster.mesh ?? 'none', podSecurity: spec.podSecurity });
    new DeveloperAccess(scope, `rbac-${namespace}`, { namespace, groups: spec.developers });
  }
}

/** The files flux bootstrap's Kustomization applies: the source and the ordered Kustomizations. */
function fluxEntryPoints(cluster: ClusterSpec, namespaces: readonly string[]): Record<string, KubeObject[]> {
  const path = (relative: string) => repoPath(cluster.flux, relative);
  return {
    'sources.yaml': synthObjects((scope) => new FleetGitSource(scope, 'source', { cluster: cluster.name, source: cluster.flux })),
    'infrastructure.yaml': synthObjects((scope) => {
      // Controllers install CRDs and may take a while (Helm installs, image pulls).
      new FluxKustomization(scope, INFRA_CONTROLLERS, { name: INFRA_CONTROLLERS, path: path(infraControllersDir(cluster.name)), timeout: '10m' });
      new FluxKustomization(scope, INFRA_CONFIGS, { name: INFRA_CONFIGS, path: path(infraConfigsDir(cluster.name)), dependsOn: [INFRA_CONTROLLERS] });
    }),
    'apps.yaml': synthObjects((scope) => {
      for (const namespace of namespaces) {
        new FluxKustomization(scope, `apps-${namespace}`, {
          name: `apps-${namespace}`,
          path: path(appsDir(cluster.name, namespace)),
          dependsOn: [INFRA_CONFIGS],
        });
      }
    }),
  };
}

export { FLUX_NAMESPACE };
