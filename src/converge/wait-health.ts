import type { KubeObject } from '../model/kube-object';
import { error, type Problem } from '../model/problem';
import { groupOf } from '../validate/cluster-index';
import { isRecord, list, record, str } from '../validate/json';
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

/** Which Kustomization builds which objects: each Flux Kustomization of the entry, with its path's build. */
export interface AppliedUnit {
  readonly kustomization: KubeObject;
  readonly objects: readonly KubeObject[];
}

export function checkWaitHealth(cluster: string, units: readonly AppliedUnit[]): Problem[] {
  return units.flatMap(({ kustomization, objects }) => {
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
  });
}
