import { SYNC_WAVE_ANNOTATION } from '../charts/argocd/application';
import type { ArgoCdSyncPolicy, ClusterSpec } from '../model/cluster';
import type { KubeObject } from '../model/kube-object';
import { dns1123SubdomainErrors } from '../model/kubernetes-rules';
import { error, warning, type Place, type Problem } from '../model/problem';
import { appsUnitName, type AppsUnit } from './apps-units';
import { appsDir } from './layout';

/**
 * Which Argo CD Application applies each apps unit, under which name and with which sync policy:
 * the cluster's `argocd.applications` entry for the unit, else `<cluster>-apps-<namespace>[-<group>]`
 * synced as `argocd.sync` says (automated unless set).
 */
export interface UnitApplication {
  readonly unit: AppsUnit;
  readonly name: string;
  readonly sync: ArgoCdSyncPolicy;
}

/** Argo CD Application name of an apps unit when the cluster does not name it: `<cluster>-apps-<namespace>[-<group>]`. */
export const defaultApplicationName = (cluster: string, unit: AppsUnit) => `${cluster}-${appsUnitName(unit)}`;

/** Key of a unit in `argocd.applications`: its namespace, or `<namespace>/<applyGroup>`. */
export const applicationKey = (unit: AppsUnit) => (unit.group === undefined ? unit.namespace : `${unit.namespace}/${unit.group}`);

/** Name of the app-of-apps parent that applies the children (src/render/argocd.ts). */
export const parentApplicationName = (cluster: string) => `${cluster}-apps`;

/**
 * Longest Application name: with label tracking (Argo CD's default before 3.0, still selectable
 * with `application.resourceTrackingMethod: label`) the name is the value of the
 * `app.kubernetes.io/instance` label on every object it applies, and label values end at 63.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/resource_tracking/
 */
export const MAX_ARGOCD_APPLICATION_NAME = 63;

export function unitApplication(cluster: ClusterSpec, unit: AppsUnit): UnitApplication {
  const declared = cluster.argocd?.applications?.[applicationKey(unit)];
  return {
    unit,
    name: declared?.name ?? defaultApplicationName(cluster.name, unit),
    sync: declared?.sync ?? cluster.argocd?.sync ?? 'automated',
  };
}

function place(cluster: ClusterSpec, field: string): Place {
  return { cluster: cluster.name, environment: cluster.environment, field, definition: cluster.definition };
}

/** Where a problem with one unit's Application is declared: its `applications` entry, else what derives the default name. */
function applicationField(cluster: ClusterSpec, app: UnitApplication, what: 'name' | 'sync'): string {
  const key = applicationKey(app.unit);
  if (cluster.argocd?.applications?.[key]?.[what] !== undefined) return `argocd.applications.${key}.${what}`;
  if (what === 'sync') return 'argocd.sync';
  return app.unit.group ? 'applyGroup' : 'namespace';
}

/**
 * What is wrong with the names and keys of the Applications Argo CD owns on this cluster:
 * `argocd/unknown-application` — an `applications` key that is no Argo CD unit here;
 * `argocd/invalid-application-name` — not a DNS-1123 subdomain (the API server refuses the object);
 * `argocd/name-too-long` — longer than a label value (label tracking);
 * `argocd/duplicate-application` — two Applications (or one and the parent) with one name: the
 *   later object replaces the earlier in Argo CD's namespace, and one unit is never applied.
 * Plus the warning `argocd/manual-sync` for each manual Application.
 */
export function checkApplications(cluster: ClusterSpec, owned: readonly AppsUnit[]): Problem[] {
  const problems: Problem[] = [];
  const keys = new Set(owned.map(applicationKey));
  for (const key of Object.keys(cluster.argocd?.applications ?? {})) {
    if (!keys.has(key)) {
      problems.push(
        error(
          'argocd/unknown-application',
          place(cluster, `argocd.applications.${key}`),
          `argocd.applications names ${key}, which is no apps unit Argo CD applies on cluster ${cluster.name}`,
          keys.size > 0 ? `use one of: ${[...keys].sort().join(', ')} (a namespace, or <namespace>/<applyGroup>)` : 'Argo CD applies no apps unit on this cluster: remove argocd.applications',
        ),
      );
    }
  }
  const apps = owned.map((unit) => unitApplication(cluster, unit));
  const byName = new Map<string, UnitApplication[]>();
  for (const app of apps) byName.set(app.name, [...(byName.get(app.name) ?? []), app]);
  for (const app of apps) problems.push(...checkName(cluster, app), ...manualSyncWarning(cluster, app));
  for (const [name, same] of byName) {
    // Every Application named like the parent clashes with it; otherwise all but the first clash with the first.
    const parent = name === parentApplicationName(cluster.name);
    for (const app of parent ? same : same.slice(1)) {
      const other = parent ? `the app-of-apps parent ${name}` : `the Application of ${applicationKey(same[0].unit)}`;
      problems.push(
        error(
          'argocd/duplicate-application',
          place(cluster, applicationField(cluster, app, 'name')),
          `Argo CD Application ${name} of ${applicationKey(app.unit)} has the name of ${other}: one object in namespace ${cluster.argocd?.namespace ?? 'argocd'} replaces the other and one path is never applied`,
          `give ${applicationKey(app.unit)} another name in argocd.applications`,
        ),
      );
    }
  }
  return problems;
}

function checkName(cluster: ClusterSpec, app: UnitApplication): Problem[] {
  const field = applicationField(cluster, app, 'name');
  const invalid = dns1123SubdomainErrors(app.name);
  if (invalid.length > 0) {
    return [
      error(
        'argocd/invalid-application-name',
        place(cluster, field),
        `Argo CD Application name "${app.name}" is not a DNS-1123 subdomain (${invalid.join('; ')}): the API server refuses the Application`,
        'use lower-case letters, digits, "-" and "." only, starting and ending with a letter or digit (e.g. flight-info)',
      ),
    ];
  }
  if (app.name.length <= MAX_ARGOCD_APPLICATION_NAME) return [];
  const declared = field.startsWith('argocd.applications.');
  return [
    error(
      'argocd/name-too-long',
      place(cluster, field),
      `Argo CD Application ${app.name} has ${app.name.length} characters; with label tracking it is the app.kubernetes.io/instance label of every object it applies, and a label value has at most ${MAX_ARGOCD_APPLICATION_NAME}`,
      declared
        ? `shorten the name by ${app.name.length - MAX_ARGOCD_APPLICATION_NAME} characters`
        : `shorten the cluster name, the namespace${app.unit.group ? ' or the applyGroup' : ''} by ${app.name.length - MAX_ARGOCD_APPLICATION_NAME} characters, or name the Application in argocd.applications`,
    ),
  ];
}

/**
 * A manual Application is a choice, not a mistake, but it changes what a commit means: nothing in
 * its path reaches the cluster until someone syncs, and the converge checks describe the cluster
 * after that sync. Said once per Application so nobody waits for a rollout that is not coming.
 */
function manualSyncWarning(cluster: ClusterSpec, app: UnitApplication): Problem[] {
  if (app.sync !== 'manual') return [];
  return [
    warning(
      'argocd/manual-sync',
      place(cluster, applicationField(cluster, app, 'sync')),
      `Argo CD Application ${app.name} syncs manually: a commit that changes ${appsDir(cluster.name, app.unit.namespace, app.unit.group)} changes nothing on cluster ${cluster.name} until someone syncs it (it shows OutOfSync; before its first sync, Missing)`,
      `after each synth that changes it, run \`argocd app sync ${app.name}\` (or Sync in the UI); set sync: 'automated' to have Argo CD apply every commit`,
    ),
  ];
}

/**
 * `argocd/manual-sync-blocks-wave`, on the rendered children: the app-of-apps parent applies a
 * wave only when every Application of the waves before it is Healthy (gitops-engine
 * pkg/sync/sync_context.go, Sync: a multi-step sync keeps a task running until its health is
 * Healthy), and a manual Application that nobody synced is Missing. So a manual Application in any
 * wave but the last holds the parent's sync: the later Applications are not even created, and
 * every later change to the parent queues behind it.
 */
export function checkManualWaves(cluster: ClusterSpec, applications: readonly KubeObject[]): Problem[] {
  const waveOf = (app: KubeObject) => Number(app.metadata.annotations?.[SYNC_WAVE_ANNOTATION] ?? '0');
  const isManual = (app: KubeObject) => (app.spec as { syncPolicy?: { automated?: unknown } } | undefined)?.syncPolicy?.automated === undefined;
  const lastWave = Math.max(...applications.map(waveOf));
  return applications
    .filter((app) => isManual(app) && waveOf(app) < lastWave)
    .map((app) => {
      const later = applications.filter((other) => waveOf(other) > waveOf(app)).map((other) => other.metadata.name);
      const key = declaredKey(cluster, app.metadata.name);
      return error(
        'argocd/manual-sync-blocks-wave',
        { ...place(cluster, key ? `argocd.applications.${key}.sync` : 'argocd.sync'), object: `Application/${app.metadata.name}` },
        `manual Argo CD Application ${app.metadata.name} is in sync wave ${waveOf(app)}, before ${later.join(', ')}: the parent ${parentApplicationName(cluster.name)} waits for it to be Healthy, which it is only after someone syncs it, so the later Applications are not created until then`,
        `sync ${app.metadata.name} automatically (it delivers the namespace's secrets the later waves need), or apply the namespace's services without applyGroup so that no Application waits for it`,
      );
    });
}

/** The `argocd.applications` key whose Application has this name, if one is declared. */
function declaredKey(cluster: ClusterSpec, name: string): string | undefined {
  const entries = Object.entries(cluster.argocd?.applications ?? {});
  return entries.find(([key, spec]) => (spec.name ?? defaultApplicationName(cluster.name, keyToUnit(key))) === name)?.[0];
}

function keyToUnit(key: string): AppsUnit {
  const [namespace, group] = key.split('/');
  return group === undefined ? { namespace } : { namespace, group };
}
