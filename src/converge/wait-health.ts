import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { groupOf } from '../validate/cluster-index';
import { isRecord, list, record, str } from '../validate/json';
import { APPLICATION_HEALTH_KEY, assessesApplicationHealth, isApplication, syncWave, type AppliedUnit } from './applied-units';
import { placeOf } from './place';

/**
 * `converge/unhealthy-wait`: a Flux Kustomization with `wait: true` waits until every object it
 * applies is healthy by kstatus (fluxcd/kustomize-controller v1.x, sigs.k8s.io/cli-utils
 * pkg/kstatus). kstatus reads `status.observedGeneration` as an integer and the Ready/Stalled
 * conditions; kinds whose status breaks that contract never become Ready unless the
 * Kustomization gives them a `healthCheckExprs` entry (CEL, Flux ≥ 2.5).
 */
export const UNHEALTHY_WAIT = 'converge/unhealthy-wait';

/** Kinds kstatus cannot evaluate, with the upstream evidence and a CEL health check that can. */
export const KINDS_NEEDING_HEALTH_EXPRS: Readonly<Record<string, { readonly evidence: string; readonly example: string }>> = {
  'argoproj.io/Rollout': {
    evidence: 'Argo Rollouts writes status.observedGeneration as a string, which kstatus cannot compare (fluxcd/flux2#4632)',
    example: "current: status.phase == 'Healthy', failed: status.phase == 'Degraded'",
  },
};

export function checkWaitHealth(cluster: string, units: readonly AppliedUnit[], entry: readonly KubeObject[] = []): Problem[] {
  return [...units.filter((u) => u.tool === 'flux').flatMap(fluxWaitProblems(cluster)), ...argoCdWaveProblems(cluster, units, entry)];
}

const fluxWaitProblems =
  (cluster: string) =>
  ({ applier: kustomization, objects }: AppliedUnit): Problem[] => {
    const spec = record(kustomization.spec);
    if (spec.wait !== true) return [];
    const exprs = list(spec.healthCheckExprs).filter(isRecord);
    const covered = (obj: KubeObject) => exprs.some((e) => str(e.apiVersion) === obj.apiVersion && str(e.kind) === obj.kind);
    const seen = new Set<string>();
    return objects.flatMap((obj) => {
      const kind = `${groupOf(obj.apiVersion)}/${obj.kind}`;
      const known = KINDS_NEEDING_HEALTH_EXPRS[kind];
      if (!known || covered(obj) || seen.has(`${obj.apiVersion}/${obj.kind}`)) return [];
      seen.add(`${obj.apiVersion}/${obj.kind}`);
      return [
        error(
          UNHEALTHY_WAIT,
          placeOf(cluster, kustomization, 'spec.healthCheckExprs'),
          `Kustomization ${kustomization.metadata.name} waits (wait: true) for ${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name}, whose health Flux cannot evaluate: ${known.evidence}. It never becomes Ready and everything that depends on it stalls.`,
          `Add a healthCheckExprs entry for apiVersion ${obj.apiVersion} kind ${obj.kind} (${known.example}), or set wait: false and list health checks explicitly.`,
        ),
      ];
    });
  };

/**
 * Argo CD: a parent whose children carry different sync waves orders them only when Argo CD
 * assesses Application health (argocd-cm `resource.customizations.health.argoproj.io_Application`,
 * argo-cd docs operator-manual/health.md "Argo CD App"); without it every child counts as
 * Healthy once created, and the waves order nothing.
 */
function argoCdWaveProblems(cluster: string, units: readonly AppliedUnit[], entry: readonly KubeObject[]): Problem[] {
  if (assessesApplicationHealth([...entry, ...units.flatMap((u) => u.objects)])) return [];
  return units
    .filter((u) => u.tool === 'argocd')
    .flatMap((parent) => {
      const children = parent.objects.filter(isApplication);
      const waves = [...new Set(children.map(syncWave))].sort((a, b) => a - b);
      if (waves.length < 2) return [];
      return [
        error(
          UNHEALTHY_WAIT,
          placeOf(cluster, parent.applier, 'spec.source.path'),
          `Application ${parent.applier.metadata.name} applies child Applications in sync waves ${waves.join(', ')} (${children.map((c) => `${c.metadata.name}: ${syncWave(c)}`).join(', ')}), but argocd-cm does not restore Application health, which Argo CD stopped assessing in 1.8: every child counts as Healthy once created, so the waves order nothing and a later wave syncs before an earlier one is ready.`,
          `Add ${APPLICATION_HEALTH_KEY} to argocd-cm (the Lua check in Argo CD's health docs) next to the parent Application.`,
        ),
      ];
    });
}
