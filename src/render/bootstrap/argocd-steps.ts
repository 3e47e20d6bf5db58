import { FLUX_NAMESPACE, repoPath } from '../../charts/flux/git-source';
import type { ClusterSpec } from '../../model/cluster';
import type { KubeObject } from '../../model/kube-object';
import { argoCdDir } from '../argocd';
import type { ClusterFacts } from './cluster-facts';
import type { GuideStep } from './guide-step';

/**
 * The Argo CD half of a cluster's bootstrap (src/render/argocd.ts renders it): the parent
 * Application and the Application health check are applied once, by hand, server side (so the
 * one `argocd-cm` key merges into the ConfigMap Argo CD already has); the parent then applies
 * the children. An Application without `syncPolicy.automated` waits for a manual sync
 * (https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/), so the guide syncs each.
 */
const APPLICATION = (obj: KubeObject) => obj.kind === 'Application' && obj.apiVersion.startsWith('argoproj.io/');

function syncsItself(app: KubeObject): boolean {
  return (app.spec as { syncPolicy?: { automated?: unknown } }).syncPolicy?.automated !== undefined;
}

function destinationNamespace(app: KubeObject): string | undefined {
  return (app.spec as { destination?: { namespace?: string } }).destination?.namespace;
}

function wave(app: KubeObject): string {
  return app.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? '0';
}

export function argoCdSteps(cluster: ClusterSpec, facts: ClusterFacts): GuideStep[] {
  const parents = facts.argocd.bootstrap.filter(APPLICATION);
  if (parents.length === 0) return [];
  const children = facts.argocd.applications.filter(APPLICATION);
  const namespace = parents[0].metadata.namespace ?? 'argocd';
  // The children apply into namespaces Flux creates: the parent goes in once those exist.
  const creators = [...new Set(children.map(destinationNamespace).flatMap((ns) => (ns && facts.namespaces.get(ns) ? [facts.namespaces.get(ns) as string] : [])))];
  const manual = [...parents, ...children].filter((app) => !syncsItself(app));
  const dir = repoPath(cluster.flux, argoCdDir(cluster.name)).replace(/^\.\//, '');
  return [
    {
      title: 'Argo CD: apply the app-of-apps parent',
      text: [
        `Argo CD applies ${children.length} Application${children.length === 1 ? '' : 's'} here, as children of ${parents.map((p) => `\`${p.metadata.name}\``).join(', ')} (namespace \`${namespace}\`): ${children.map((c) => `\`${c.metadata.name}\` → \`${destinationNamespace(c) ?? ''}\` (wave ${wave(c)})`).join(', ')}. ${creators.length > 0 ? `Their namespaces come from Flux Kustomization ${creators.map((c) => `\`${c}\``).join(', ')}: wait for it, then` : 'Then'} apply \`${dir}\` once, server side, from a checkout of branch \`${cluster.flux.branch ?? 'main'}\` (it also adds the Application health check to \`argocd-cm\`):`,
      ],
      commands: [
        ...creators.map((name) => `kubectl -n ${FLUX_NAMESPACE} wait kustomization/${name} --for=condition=Ready --timeout=20m`),
        `kubectl apply --server-side -k ${dir}`,
        ...manual.map((app) => `argocd app sync ${app.metadata.name}   # syncPolicy has no automated: it waits for this`),
      ],
    },
  ];
}

/** What `kubectl get applications` shows once Argo CD converged. */
export function argoCdVerifyLines(facts: ClusterFacts): string[] {
  const apps = [...facts.argocd.bootstrap, ...facts.argocd.applications].filter(APPLICATION);
  if (apps.length === 0) return [];
  const namespace = apps[0].metadata.namespace ?? 'argocd';
  return [`kubectl -n ${namespace} get applications.argoproj.io   # Synced, Healthy: ${apps.map((a) => a.metadata.name).join(', ')}`];
}
