import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { ArgoCdApplication } from '../charts/argocd/application';
import { repoPath } from '../charts/flux/git-source';
import type { ClusterSpec } from '../model/cluster';
import type { KubeObject } from '../model/kube-object';
import { error, type Place, type Problem } from '../model/problem';
import { appsUnitName, type AppsUnit } from './apps-units';
import { checkApplications, parentApplicationName, unitApplication } from './argocd-applications';
import { appsDir, clusterDir } from './layout';
import { synthObjects } from './synth-objects';

/**
 * The Argo CD flavour of a cluster. One tool owns each path: Argo CD applies the apps units of
 * the namespaces it owns (`argocd.namespaces`), Flux applies everything else (infrastructure
 * and the other namespaces); a path applied by both would have two controllers fight over the
 * same objects (each reverting the other's field managers and pruning what the other adds).
 *
 * Argo CD's Applications are children of one app-of-apps parent `<cluster>-apps`: sync waves
 * order resources within one sync, so they order Applications only when a parent syncs them,
 * and only when Argo CD assesses an Application's health (removed in Argo CD 1.8, restored by
 * the `argoproj.io_Application` health check in argocd-cm, rendered next to the parent).
 * Within a child, Argo CD judges the kinds it applies with its built-in checks, which include
 * Flagger Canaries and SealedSecrets (argoproj/argo-cd resource_customizations/flagger.app/Canary,
 * bitnami.com/SealedSecret), so the Flux health checks of those kinds have no Argo CD counterpart to render.
 *
 * Each child syncs automatically or manually (`argocd.sync`, `argocd.applications`, resolved in
 * src/render/argocd-applications.ts); the parent is always automated, since it only creates and
 * updates the Application objects. A manual child is Missing until its first sync, so it must
 * not precede another wave (`argocd/manual-sync-blocks-wave`).
 *
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app (argoproj/argo-cd docs/operator-manual/health.md)
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/cluster-bootstrapping/
 */
export interface ArgoCdFlavour {
  /** `clusters/<cluster>/argocd/`: the parent Application and the health check, applied once by hand. */
  readonly bootstrap: readonly KubeObject[];
  /** `clusters/<cluster>/argocd/applications/`: the children, applied by the parent. */
  readonly applications: readonly KubeObject[];
}

export const argoCdDir = (cluster: string) => `${clusterDir(cluster)}/argocd`;
export const argoCdApplicationsDir = (cluster: string) => `${argoCdDir(cluster)}/applications`;


/**
 * Restores Argo CD's health assessment of Applications, as its docs give it, so the parent
 * waits for each wave's children to be Healthy before the next wave.
 * @see https://argo-cd.readthedocs.io/en/stable/operator-manual/health/#argocd-app
 */
export const APPLICATION_HEALTH_LUA = [
  'hs = {}',
  'hs.status = "Progressing"',
  'hs.message = ""',
  'if obj.status ~= nil then',
  '  if obj.status.health ~= nil then',
  '    hs.status = obj.status.health.status',
  '    if obj.status.health.message ~= nil then',
  '      hs.message = obj.status.health.message',
  '    end',
  '  end',
  'end',
  'return hs',
  '',
].join('\n');
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** The namespaces whose apps units Argo CD applies on this cluster (none without `argocd`). */
export function argoCdNamespaces(cluster: ClusterSpec, units: readonly AppsUnit[]): ReadonlySet<string> {
  if (!cluster.argocd) return new Set();
  return new Set(cluster.argocd.namespaces ?? units.map((unit) => unit.namespace));
}

/** Which tool applies an apps unit. */
export function ownerOf(cluster: ClusterSpec, units: readonly AppsUnit[], unit: AppsUnit): 'flux' | 'argocd' {
  return argoCdNamespaces(cluster, units).has(unit.namespace) ? 'argocd' : 'flux';
}

/**
 * The parent, the health check and the children for the units Argo CD owns. A group whose
 * namespace's own unit applies secrets syncs one wave later, as Flux's dependsOn orders it.
 */
export function renderArgoCd(cluster: ClusterSpec, units: readonly AppsUnit[], secretNamespaces: readonly string[]): ArgoCdFlavour {
  const argocd = cluster.argocd;
  if (!argocd) return { bootstrap: [], applications: [] };
  const owned = units.filter((unit) => ownerOf(cluster, units, unit) === 'argocd');
  const common = {
    namespace: argocd.namespace ?? 'argocd',
    project: argocd.project,
    repoURL: cluster.flux.url,
    targetRevision: cluster.flux.branch ?? 'main',
  };
  const applications = synthObjects((scope) => {
    for (const unit of owned) {
      const afterSecrets = unit.group !== undefined && secretNamespaces.includes(unit.namespace);
      const app = unitApplication(cluster, unit);
      new ArgoCdApplication(scope, appsUnitName(unit), {
        ...common,
        name: app.name,
        sync: app.sync,
        path: repoPath(cluster.flux, appsDir(cluster.name, unit.namespace, unit.group)),
        syncWave: afterSecrets ? 1 : 0,
        destinationNamespace: unit.namespace,
        // The namespace comes from Flux's infra-configs, which Argo CD cannot wait for: retry
        // until it exists rather than give up after a fixed count.
        retryLimit: -1,
      });
    }
  });
  const bootstrap = synthObjects((scope) => {
    // The parent stays automated whatever its children do: it only creates and updates the
    // Application objects; a manual child then waits for someone to sync what it applies.
    new ArgoCdApplication(scope, 'parent', {
      ...common,
      name: parentApplicationName(cluster.name),
      path: repoPath(cluster.flux, argoCdApplicationsDir(cluster.name)),
      destinationNamespace: common.namespace,
    });
    defineApplicationHealthCheck(scope, common.namespace);
  });
  return { bootstrap, applications };
}

/** The argocd-cm key that restores Application health; applied server-side, so other keys stay. */
function defineApplicationHealthCheck(scope: Construct, namespace: string): void {
  new ApiObject(scope, 'application-health', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    // Argo CD reads only the argocd-cm labelled part-of: argocd.
    metadata: { name: 'argocd-cm', namespace, labels: { 'app.kubernetes.io/name': 'argocd-cm', 'app.kubernetes.io/part-of': 'argocd' } },
    data: { [APPLICATION_HEALTH_KEY]: APPLICATION_HEALTH_LUA },
  });
}

function place(cluster: ClusterSpec, field: string): Place {
  return { cluster: cluster.name, environment: cluster.environment, field, definition: cluster.definition };
}

/**
 * What the Argo CD flavour cannot do on this cluster:
 * `argocd/sops-unsupported` — Argo CD applies SOPS-encrypted Secrets as they are (it has no
 *   decryption; only kustomize-controller decrypts `decryption: sops`), so pods would mount
 *   ciphertext. Rendering a decryption plugin (KSOPS, helm-secrets) means a custom repo-server
 *   image and the age key in Argo CD's namespace, which the platform owns, so it is refused;
 * `argocd/unknown-namespace` — `argocd.namespaces` names a namespace with no apps unit here;
 * and what checkApplications (src/render/argocd-applications.ts) finds in the Applications' names and sync policies.
 */
export function checkArgoCd(cluster: ClusterSpec, units: readonly AppsUnit[]): Problem[] {
  const argocd = cluster.argocd;
  if (!argocd) return [];
  const problems: Problem[] = [];
  if (cluster.secrets?.backend === 'sops') {
    problems.push(
      error(
        'argocd/sops-unsupported',
        place(cluster, 'argocd'),
        `cluster ${cluster.name} encrypts its Secrets with SOPS, which only Flux's kustomize-controller decrypts: Argo CD would apply them still encrypted`,
        "move the cluster to secrets: { backend: 'sealed-secrets', … } (the controller decrypts, whoever applies), or remove argocd and let Flux apply the apps",
      ),
    );
  }
  const known = new Set(units.map((unit) => unit.namespace));
  for (const namespace of argocd.namespaces ?? []) {
    if (!known.has(namespace)) {
      problems.push(error('argocd/unknown-namespace', place(cluster, 'argocd.namespaces'), `Argo CD is to own namespace ${namespace}, which has no apps on cluster ${cluster.name}`, `use one of: ${[...known].sort().join(', ')}`));
    }
  }
  problems.push(...checkApplications(cluster, units.filter((unit) => ownerOf(cluster, units, unit) === 'argocd')));
  return problems;
}

/**
 * `argocd/path-owned-twice`: a repository path a Flux Kustomization and an Argo CD Application
 * both apply, checked on the rendered objects themselves (whatever computed them).
 */
export function checkPathOwnership(cluster: ClusterSpec, fluxKustomizations: readonly KubeObject[], applications: readonly KubeObject[]): Problem[] {
  const normalise = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');
  const fluxPaths = new Map(fluxKustomizations.map((k) => [normalise((k.spec as { path: string }).path), k.metadata.name] as const));
  return applications.flatMap((app) => {
    const path = normalise((app.spec as { source: { path: string } }).source.path);
    const kustomization = fluxPaths.get(path);
    if (kustomization === undefined) return [];
    return [
      error(
        'argocd/path-owned-twice',
        { ...place(cluster, 'argocd.namespaces'), object: `Application/${app.metadata.name}` },
        `${path} is applied by both Flux Kustomization ${kustomization} and Argo CD Application ${app.metadata.name}: the two controllers would overwrite and prune each other's objects`,
        'give the path one owner: list its namespace in argocd.namespaces for Argo CD, or leave it out for Flux',
      ),
    ];
  });
}
