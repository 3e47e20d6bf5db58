import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { PLATFORM_NAMESPACES } from './cluster-state';
import { placeOf } from './place';
import { unitName, type AppliedUnit } from './applied-units';

/**
 * `converge/platform-namespace`: a generated object owns a namespace the platform owns. A
 * Namespace object in a Flux Kustomization with `prune: true` (or an Argo CD Application that
 * prunes) is deleted with everything in it when it leaves the output (kustomize-controller and
 * Argo CD garbage-collect what they applied), and
 * server-side apply takes over its labels from whoever set them (flux bootstrap for
 * flux-system, the API server for the others).
 */
export const PLATFORM_NAMESPACE = 'converge/platform-namespace';

export function checkOwnership(cluster: string, units: readonly AppliedUnit[], entry: readonly KubeObject[], argoCdBootstrap: readonly KubeObject[] = []): Problem[] {
  const owners: { obj: KubeObject; by: string; tool: 'Flux' | 'Argo CD' }[] = [
    ...entry.map((obj) => ({ obj, by: 'flux-system (the cluster entry files)', tool: 'Flux' as const })),
    ...argoCdBootstrap.map((obj) => ({ obj, by: `Argo CD's bootstrap (clusters/${cluster}/argocd, applied by hand)`, tool: 'Argo CD' as const })),
    ...units.flatMap((u) => u.objects.map((obj) => ({ obj, by: unitName(u), tool: u.tool === 'flux' ? ('Flux' as const) : ('Argo CD' as const) }))),
  ];
  return owners
    .filter(({ obj }) => obj.kind === 'Namespace' && obj.apiVersion === 'v1' && PLATFORM_NAMESPACES.includes(obj.metadata.name))
    .map(({ obj, by, tool }) =>
      error(
        PLATFORM_NAMESPACE,
        { ...placeOf(cluster, obj), namespace: obj.metadata.name },
        `${by} applies Namespace ${obj.metadata.name}, which the platform owns (${PLATFORM_NAMESPACES.join(', ')}): ${tool} would take over its labels and prune it, with everything in it, when it leaves the output.`,
        `Do not render Namespace ${obj.metadata.name}: put the workloads in a namespace of their own, or ask the platform team to set the labels it needs.`,
      ),
    );
}
