import type { Construct } from 'constructs';
import { repoPath } from '../charts/flux/git-source';
import { FluxKustomization } from '../charts/flux/flux-kustomization';
import { KustomizationSpecDecryptionProvider } from '../../imports/flux-kustomization-kustomize.toolkit.fluxcd.io';
import { clusterContext } from '../charts/microservice/cluster-context';
import { clusterReadableResources, DeveloperAccess, HELM_APP_RESOURCES } from '../charts/platform/developer-access';
import { appEntries } from '../model/apps';
import { AppNamespace } from '../charts/platform/namespace';
import { PublicGateway } from '../charts/progressive/istio-routing';
import type { ClusterSpec } from '../model/cluster';
import { flaggerProvider } from '../model/progressive-delivery';
import { namespacePodSecurity, namespaceSpecOn } from '../model/pod-security';
import type { FleetSpec, ServiceEntry } from '../model/fleet';
import { fleetIndex } from '../model/fleet-index';
import type { KubeObject } from '../model/kube-object';
import { warning, type Problem } from '../model/problem';
import { environmentOf, resolveService } from '../model/resolve';
import { runBeforeEdges } from '../model/check-workload-kind';
import { placementsOn } from '../model/placement';
import { appsUnitName, appsUnits, MAX_OBJECTS_PER_APPS_UNIT, type AppsUnit } from './apps-units';
import { argoCdApplicationsDir, argoCdDir, checkArgoCd, checkPathOwnership, ownerOf, renderArgoCd } from './argocd';
import { checkManualWaves } from './argocd-applications';
import { deliveryEntries } from './delivery-entries';
import { renderInfrastructure } from './infrastructure';
import {
  appsDir,
  baseDir,
  clusterDir,
  infraConfigsDir,
  infraControllersDir,
  kebabKind,
  objectFileName,
  relativeDir,
  SECRETS_DIR_NAME,
  secretsDir,
  serviceOverlayDir,
} from './layout';
import { computeOverlay, type Overlay } from './overlay';
import { appMembers, serviceMember, type ComponentBase, type UnitMember } from './components';
import { inputHash, type RenderedUnit, type ReuseLookup } from './render-units';
import { synthObjects } from './synth-objects';
import type { ArgoCdBuilds } from '../converge/converge-input';
import type { GeneratedFile } from './yaml';

/** Everything one cluster gets: its files and the objects Kustomize will build from them. */
export interface RenderedCluster {
  readonly spec: ClusterSpec;
  readonly production: boolean;
  /** Objects after `kubectl kustomize` of every path Flux applies, namespaces set. */
  readonly objects: readonly KubeObject[];
  /** The same objects as Flux applies them: the entry files' objects, and each Flux path's (key: the path without `./`). */
  readonly flux: { readonly entry: readonly KubeObject[]; readonly builds: ReadonlyMap<string, readonly KubeObject[]>; readonly argoCd?: ArgoCdBuilds };
  readonly files: ReadonlyMap<string, GeneratedFile>;
  /** Overlay units of the cluster's services (reused ones have no objects or files above). */
  readonly units: readonly RenderedUnit[];
  /** What the cluster needs but neither renders nor declares (infrastructure checks). */
  readonly problems: readonly Problem[];
}

export interface RenderClusterOptions {
  /** The base of a service or app by name. */
  readonly bases: (name: string) => ComponentBase;
  /** @default - no secrets */
  readonly secrets?: ClusterSecrets;
  /** Skips services whose overlay unit is unchanged. @default - render everything */
  readonly reuse?: ReuseLookup;
  /** Version of the generator, part of every unit's input hash. */
  readonly generator: string;
}

const KUSTOMIZE = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' } as const;
/** Secret in flux-system holding the cluster's age identity (created once, by hand, at bootstrap). */
export const SOPS_AGE_SECRET = 'sops-age';
export const INFRA_CONTROLLERS = 'infra-controllers';
export const INFRA_CONFIGS = 'infra-configs';

/**
 * Secret objects prepared for a cluster before rendering (sealing and SOPS encryption are async
 * and read the committed output, so they happen in their own stage; see src/render/secrets).
 */
export interface ClusterSecrets {
  /** SealedSecrets or SOPS-encrypted Secrets, each with its namespace set. */
  readonly objects: readonly KubeObject[];
  /** The apps Kustomizations must decrypt SOPS Secrets with the age key in Secret `sops-age`. */
  readonly sopsDecryption?: boolean;
}

export function renderCluster(fleet: FleetSpec, cluster: ClusterSpec, options: RenderClusterOptions): RenderedCluster {
  const secrets = options.secrets ?? { objects: [] };
  const context = clusterContext(cluster);
  const placed: UnitMember[] = [
    ...cluster.services.map((name) => {
      const entry = findEntry(fleet, name);
      const environment = environmentOf(entry.system, cluster.environment);
      if (!environment) throw new Error(`unchecked model: ${entry.system.name} has no environment ${cluster.environment}`);
      const resolved = resolveService(fleet, entry.system, entry.service, { cluster, environment });
      return serviceMember(entry, resolved, environment, context);
    }),
    ...appMembers(fleet, cluster, context),
  ];
  const units: RenderedUnit[] = [];
  const problems: Problem[] = [];
  const source = cluster.definition ?? 'src/environments';
  const files = new Map<string, GeneratedFile>();
  const objects: KubeObject[] = [];
  const builds = new Map<string, KubeObject[]>();
  const built = (dir: string, added: readonly KubeObject[]) => {
    const path = repoPath(cluster.flux, dir).replace(/^\.\//, '');
    builds.set(path, [...(builds.get(path) ?? []), ...added]);
  };
  const secretNamespaces = [...new Set(secrets.objects.map((secret) => secret.metadata.namespace as string))];
  const apps = appsUnits(
    placed.map((member) => ({ namespace: member.namespace, group: member.group })),
    secretNamespaces,
  );

  const membersOf = new Map<string, UnitMember[]>();
  for (const member of placed) {
    const name = appsUnitName({ namespace: member.namespace, group: member.group });
    const members = membersOf.get(name);
    if (members) members.push(member);
    else membersOf.set(name, [member]);
  }

  for (const unit of apps) {
    const { namespace, group } = unit;
    const members = membersOf.get(appsUnitName(unit)) ?? [];
    const entries: string[] = [];
    // Object count of the unit, known only when none of its services was reused.
    let count: number | undefined = 0;
    for (const member of members) {
      const name = member.name;
      entries.push(name);
      const base = options.bases(name);
      const key = `overlay/${cluster.name}/${name}`;
      const input = inputHash(options.generator, base.input, member.input, context, group ?? null);
      const reused = options.reuse?.(key, input);
      if (reused) {
        units.push({ key, input, files: reused, reused: true });
        count = undefined;
        continue;
      }
      const { objects: rendered, problems: patchProblems } = member.render();
      problems.push(...patchProblems);
      const dir = serviceOverlayDir(cluster.name, namespace, name, group);
      const overlayFiles = serviceOverlayFiles(dir, computeOverlay(base.objects(), rendered), name, member.definition);
      for (const [path, content] of overlayFiles) files.set(path, content);
      objects.push(...rendered);
      built(appsDir(cluster.name, namespace, group), rendered);
      if (count !== undefined) count += rendered.length;
      units.push({ key, input, files: [...overlayFiles.keys()], reused: false });
    }
    const unitSecrets = group === undefined ? secrets.objects.filter((o) => o.metadata.namespace === namespace) : [];
    if (unitSecrets.length > 0) {
      for (const [path, content] of directoryFiles(secretsDir(cluster.name, namespace), unitSecrets.map(stripNamespace), source)) files.set(path, content);
      objects.push(...unitSecrets);
      built(appsDir(cluster.name, namespace, group), unitSecrets);
      entries.push(SECRETS_DIR_NAME);
      if (count !== undefined) count += unitSecrets.length;
    }
    files.set(`${appsDir(cluster.name, namespace, group)}/kustomization.yaml`, file(source, [{ ...KUSTOMIZE, namespace, resources: entries.sort() }]));
    if (count !== undefined && count > MAX_OBJECTS_PER_APPS_UNIT) problems.push(largeBuildWarning(cluster, unit, count, members.length));
  }
  const sortedNamespaces = [...new Set(apps.map((unit) => unit.namespace))];

  const jobEdges = runBeforeEdges(fleet, placementsOn(fleet, cluster));
  const unitsAfter = new Map(apps.map((unit) => [appsUnitName(unit), [...new Set(jobEdges.filter((e) => e.to === appsUnitName(unit)).map((e) => e.from))].sort()]));
  const infrastructure = renderInfrastructure(fleet, cluster);
  const platform = synthObjects((scope) => definePlatform(scope, fleet, cluster, sortedNamespaces));
  const configs = [...platform, ...infrastructure.configs];
  for (const [path, content] of directoryFiles(infraControllersDir(cluster.name), infrastructure.controllers, source)) files.set(path, content);
  for (const [path, content] of directoryFiles(infraConfigsDir(cluster.name), configs, source)) files.set(path, content);
  objects.push(...infrastructure.controllers, ...configs);
  built(infraControllersDir(cluster.name), infrastructure.controllers);
  built(infraConfigsDir(cluster.name), configs);
  // Argo CD flavour: the apps units of the namespaces Argo CD owns, as children of one parent
  // Application; outside every Flux path (Flux never applies them), and Flux leaves those units alone.
  const argocd = renderArgoCd(cluster, apps, secretNamespaces);
  if (argocd.bootstrap.length > 0) {
    for (const [path, content] of directoryFiles(argoCdDir(cluster.name), argocd.bootstrap, source)) files.set(path, content);
    for (const [path, content] of directoryFiles(argoCdApplicationsDir(cluster.name), argocd.applications, source)) files.set(path, content);
  }
  const fluxOwned = apps.filter((unit) => ownerOf(cluster, apps, unit) === 'flux');

  const withSecrets = new Set(secretNamespaces);
  const sealedNamespaces = new Set(secrets.objects.filter((o) => o.kind === 'SealedSecret').map((o) => o.metadata.namespace as string));
  const fluxApps = fluxOwned.map((unit) => ({
    unit,
    canaries: (membersOf.get(appsUnitName(unit)) ?? []).some((member) => member.canary),
    // A namespace's secrets are applied by its own unit, never by an applyGroup's.
    sealedSecrets: unit.group === undefined && sealedNamespaces.has(unit.namespace),
    afterNamespaceSecrets: unit.group !== undefined && withSecrets.has(unit.namespace),
    // A Job with runBefore: the waiting services' unit depends on the Job's, which waits for it to complete.
    afterJobs: unitsAfter.get(appsUnitName(unit)) ?? [],
    jobDeadlineSeconds: Math.max(0, ...(membersOf.get(appsUnitName(unit)) ?? []).map((m) => (m.resolved?.workload.kind === 'Job' ? m.resolved.workload.activeDeadlineSeconds : 0))),
  }));
  const entry: KubeObject[] = [];
  const flux = { ...fluxEntryPoints(cluster, fluxApps, secrets.sopsDecryption === true), ...deliveryEntries(fleet, cluster) };
  // apps.yaml is empty when Argo CD owns every namespace: no file, nothing for kustomize to read.
  const entryFiles = Object.entries(flux).filter(([, docs]) => docs.length > 0);
  for (const [name, docs] of entryFiles) {
    files.set(`${clusterDir(cluster.name)}/${name}`, file(source, docs));
    objects.push(...docs);
    entry.push(...docs);
  }
  files.set(
    `${clusterDir(cluster.name)}/kustomization.yaml`,
    file(source, [{ ...KUSTOMIZE, resources: ['flux-system', ...entryFiles.map(([name]) => name)] }]),
  );
  problems.push(
    ...checkArgoCd(cluster, apps),
    ...checkPathOwnership(cluster, [...flux['infrastructure.yaml'], ...flux['apps.yaml']], argocd.applications),
    ...checkManualWaves(cluster, argocd.applications),
  );
  const production = fleet.systems.some((system) => environmentOf(system, cluster.environment)?.production === true);
  // For the converge checks: Argo CD's bootstrap and the parent's directory of child Applications.
  const argoCd = argocd.bootstrap.length > 0 ? { bootstrap: argocd.bootstrap, builds: new Map([[repoPath(cluster.flux, argoCdApplicationsDir(cluster.name)).replace(/^\.\//, ''), argocd.applications]]) } : undefined;
  return { spec: cluster, production, objects, flux: { entry, builds, argoCd }, files, units, problems: [...problems, ...infrastructure.problems] };
}

function findEntry(fleet: FleetSpec, name: string): ServiceEntry {
  const entry = fleetIndex(fleet).services.get(name);
  if (!entry) throw new Error(`unchecked model: unknown service ${name}`);
  return entry;
}

/** Flux would build this unit with many objects: kustomize's build time grows faster than linearly with them. */
function largeBuildWarning(cluster: ClusterSpec, unit: AppsUnit, objects: number, services: number): Problem {
  const name = appsUnitName(unit);
  return warning(
    'flux/large-build',
    { cluster: cluster.name, namespace: unit.namespace, object: `Kustomization/${name}`, field: unit.group ? 'applyGroup' : 'namespace' },
    `${name} applies ${objects} objects of ${services} services (more than ${MAX_OBJECTS_PER_APPS_UNIT}): kustomize builds it on every reconcile, and its build time grows faster than linearly (measured: 400 objects 1.2 s, 1,600 objects 9.7 s, 3,200 objects 46 s)`,
    `split ${unit.group ? `group ${unit.group}` : `namespace ${unit.namespace}`} with "applyGroup" on its services (e.g. by team or domain), so that each group is its own Flux Kustomization of at most ~60 services`,
  );
}

/**
 * One service's overlay directory: its base, the cluster-only objects, and Kustomize's images,
 * replicas and patches. One directory per service keeps every service's difference reviewable
 * on its own and lets an incremental synth re-render one service without its neighbours.
 */
function serviceOverlayFiles(dir: string, overlay: Overlay, service: string, source: string): Map<string, GeneratedFile> {
  const files = new Map<string, GeneratedFile>();
  const resourceNames = overlay.resources.map((obj) => objectFileName(obj, service));
  overlay.resources.forEach((obj, i) => files.set(`${dir}/${resourceNames[i]}`, file(source, [stripNamespace(obj)])));
  const patches = overlay.patches.map((patch) => {
    const path = `patches/${patch.target.name === service ? kebabKind(patch.target.kind) : `${kebabKind(patch.target.kind)}-${patch.target.name}`}.yaml`;
    const body =
      patch.operations === 'delete'
        ? [{ apiVersion: patch.target.group ? `${patch.target.group}/${patch.target.version}` : patch.target.version, kind: patch.target.kind, metadata: { name: patch.target.name }, $patch: 'delete' }]
        : [patch.operations];
    files.set(`${dir}/${path}`, file(source, body));
    return { path, target: patch.target };
  });
  const kustomization: Record<string, unknown> = { ...KUSTOMIZE, resources: [relativeDir(dir, baseDir(service)), ...resourceNames.sort()] };
  if (overlay.images.length > 0) kustomization.images = overlay.images;
  if (overlay.replicas.length > 0) kustomization.replicas = overlay.replicas;
  if (patches.length > 0) kustomization.patches = patches.sort((a, b) => a.path.localeCompare(b.path));
  files.set(`${dir}/kustomization.yaml`, file(source, [kustomization]));
  return files;
}

function stripNamespace(obj: KubeObject): KubeObject {
  const { namespace: _namespace, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** A directory of plain objects (no overlay): one file each, plus its kustomization.yaml. */
export function directoryFiles(dir: string, objects: readonly KubeObject[], source: string): Map<string, GeneratedFile> {
  const files = new Map<string, GeneratedFile>();
  const names = objects.map((obj) => (obj.metadata.namespace ? `${obj.metadata.namespace}-` : '') + objectFileName(obj));
  objects.forEach((obj, i) => files.set(`${dir}/${names[i]}`, file(source, [obj])));
  files.set(`${dir}/kustomization.yaml`, file(source, [{ ...KUSTOMIZE, resources: [...names].sort() }]));
  return files;
}

function definePlatform(scope: Construct, fleet: FleetSpec, cluster: ClusterSpec, namespaces: readonly string[]): void {
  const exposedThroughIstio = cluster.ingress.controller === 'istio' || (cluster.progressiveDelivery?.engine === 'flagger' && flaggerProvider(cluster) === 'istio');
  if (exposedThroughIstio) new PublicGateway(scope, 'istio-gateway');
  const helmApps = (cluster.apps ?? []).some((name) => appEntries(fleet).get(name)?.kind === 'helm');
  const readable = [...clusterReadableResources(clusterContext(cluster), cluster.secrets?.backend), ...(helmApps ? HELM_APP_RESOURCES : [])];
  for (const namespace of namespaces) {
    const spec = namespaceSpecOn(fleet, cluster, namespace);
    // ALB Ingresses target pod IPs (charts/microservice/ingress.ts: target-type ip).
    const albReadinessGate = cluster.ingress.controller === 'alb';
    new AppNamespace(scope, `ns-${namespace}`, { name: namespace, mesh: cluster.mesh ?? 'none', podSecurity: namespacePodSecurity(fleet, cluster, namespace), albReadinessGate });
    new DeveloperAccess(scope, `rbac-${namespace}`, { namespace, groups: spec.developers, readable, roleName: spec.developerRbac?.role, bindingName: spec.developerRbac?.binding });
  }
}

/** A failed Flagger canary marks the Flux Kustomization that applied it unhealthy. */
export const CANARY_HEALTH_CHECK = {
  apiVersion: 'flagger.app/v1beta1',
  kind: 'Canary',
  current: "status.phase in ['Initialized', 'Succeeded']",
  inProgress: "status.phase in ['Initializing', 'Waiting', 'Progressing', 'WaitingPromotion', 'Promoting', 'Finalising']",
  failed: "status.phase == 'Failed'",
};

/**
 * A SealedSecret the controller cannot decrypt (wrong certificate, rotated key) marks the Flux
 * Kustomization that applied it unhealthy, instead of passing `wait` with no Secret behind it:
 * kstatus alone reads only observedGeneration, which the controller sets either way. The
 * controller reports decryption in the `Synced` condition.
 * @see https://fluxcd.io/flux/cheatsheets/cel-healthchecks/ (SealedSecret; fluxcd/website content/en/flux/cheatsheets/cel-healthchecks.md)
 */
export const SEALED_SECRET_HEALTH_CHECK = {
  apiVersion: 'bitnami.com/v1alpha1',
  kind: 'SealedSecret',
  current: "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'True')",
  failed: "status.conditions.filter(e, e.type == 'Synced').all(e, e.status == 'False')",
};

/**
 * Argo Rollouts writes `status.observedGeneration` as a string, which kstatus cannot read: a
 * Kustomization with `wait: true` never becomes Ready without a CEL health check for Rollouts
 * (fluxcd/flux2#4632). Phases from argoproj/argo-rollouts v1.9 pkg/apis/rollouts/v1alpha1 (RolloutPhase).
 */
export const ROLLOUT_HEALTH_CHECK = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Rollout',
  current: "status.observedGeneration == string(metadata.generation) && status.phase == 'Healthy'",
  inProgress: "status.phase in ['Progressing', 'Paused']",
  failed: "status.phase == 'Degraded'",
};

interface FluxApps {
  readonly unit: AppsUnit;
  /** The unit applies Flagger canaries: its Kustomization waits for them (health checks). */
  readonly canaries: boolean;
  /** The unit applies SealedSecrets: its Kustomization waits for their decryption. */
  readonly sealedSecrets: boolean;
  /** An applyGroup of a namespace whose own unit holds secrets: applied after that unit. */
  readonly afterNamespaceSecrets: boolean;
  /** Units of Jobs that must complete before this unit's services roll out (`workload.runBefore`). */
  readonly afterJobs: readonly string[];
  /** Longest `activeDeadlineSeconds` of the unit's Jobs (0 without Jobs): its health checks wait that long. */
  readonly jobDeadlineSeconds: number;
}

/**
 * The files flux bootstrap's Kustomization applies: the ordered Kustomizations. They read the
 * repository through bootstrap's own GitRepository `flux-system` (see BOOTSTRAP_SOURCE_NAME),
 * never through a second source that would need credentials of its own.
 */
function fluxEntryPoints(cluster: ClusterSpec, apps: readonly FluxApps[], sopsDecryption: boolean): Record<string, KubeObject[]> {
  const engine = cluster.progressiveDelivery?.engine;
  const healthChecks = engine === 'flagger' && cluster.progressiveDelivery?.fluxHealthChecks !== false;
  // Rollouts need their health check whatever fluxHealthChecks says: without it wait: true never ends.
  const healthCheckFor = (canaries: boolean) => (!canaries ? undefined : engine === 'argo-rollouts' ? [ROLLOUT_HEALTH_CHECK] : healthChecks ? [CANARY_HEALTH_CHECK] : undefined);
  const path = (relative: string) => repoPath(cluster.flux, relative);
  return {
    'infrastructure.yaml': synthObjects((scope) => {
      // Controllers install CRDs and may take a while (Helm installs, image pulls).
      // Helm installs chain (istio-base → istiod → flagger; prometheus) with 10m Helm timeouts each.
      new FluxKustomization(scope, INFRA_CONTROLLERS, { name: INFRA_CONTROLLERS, path: path(infraControllersDir(cluster.name)), timeout: '15m' });
      new FluxKustomization(scope, INFRA_CONFIGS, { name: INFRA_CONFIGS, path: path(infraConfigsDir(cluster.name)), dependsOn: [INFRA_CONTROLLERS] });
    }),
    'apps.yaml': synthObjects((scope) => {
      for (const { unit, canaries, sealedSecrets, afterNamespaceSecrets, afterJobs, jobDeadlineSeconds } of apps) {
        const name = appsUnitName(unit);
        const healthCheckExprs = [...(healthCheckFor(canaries) ?? []), ...(sealedSecrets ? [SEALED_SECRET_HEALTH_CHECK] : [])];
        // A group's pods read the namespace's secrets, which its own unit applies.
        const dependsOn = afterNamespaceSecrets ? [INFRA_CONFIGS, appsUnitName({ namespace: unit.namespace })] : [INFRA_CONFIGS];
        new FluxKustomization(scope, name, {
          name,
          path: path(appsDir(cluster.name, unit.namespace, unit.group)),
          // The Job's unit has `wait: true`: kustomize-controller reports it Ready only once the Job is Complete (kstatus).
          dependsOn: [...new Set([...dependsOn, ...afterJobs])],
          // Health checks (a Job until Complete) give up after `timeout`: never before the Job's own deadline.
          timeout: jobDeadlineSeconds > 5 * 60 ? `${Math.ceil(jobDeadlineSeconds / 60) + 1}m` : undefined,
          healthCheckExprs: healthCheckExprs.length > 0 ? healthCheckExprs : undefined,
          decryption: sopsDecryption ? { provider: KustomizationSpecDecryptionProvider.SOPS, secretRef: { name: SOPS_AGE_SECRET } } : undefined,
        });
      }
    }),
  };
}

function file(source: string, documents: readonly unknown[]): GeneratedFile {
  return { source, documents };
}
