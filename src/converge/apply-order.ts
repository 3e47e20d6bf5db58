import type { KubeObject } from '../model/kube-object';
import { list, record, str } from '../validate/json';
import { syncStep, syncWave, unitName, type AppliedUnit } from './applied-units';
import { ARGO_CD_HEALTH } from './argocd-health';
import { groupOf } from '../validate/cluster-index';

/**
 * Whether an object one unit delivers exists by the time another unit's object needs it, under
 * Flux's and Argo CD's ordering (src/converge/applied-units.ts):
 * - Flux: the producer's Kustomization is the consumer's or one it depends on, transitively
 *   (kustomize-controller applies a Kustomization after every dependsOn is Ready);
 * - Argo CD, one Application: the producer's (phase, wave) is not after the consumer's;
 * - Argo CD, two Applications: both children of one parent that assesses Application health,
 *   the producer automated and in an earlier wave;
 * - Flux and Argo CD never wait for each other.
 */
export interface Placed {
  readonly unit: AppliedUnit;
  readonly obj: KubeObject;
}

export type Order = { readonly inTime: true } | { readonly inTime: false; readonly why: string };

const IN_TIME: Order = { inTime: true };

/** The units applied no later than `unit` by Flux: itself and what it depends on, transitively. */
export function fluxAppliedBefore(unit: AppliedUnit, units: readonly AppliedUnit[]): Set<AppliedUnit> {
  const byName = new Map(units.filter((u) => u.tool === 'flux').map((u) => [u.applier.metadata.name, u] as const));
  const out = new Set<AppliedUnit>();
  const visit = (u: AppliedUnit) => {
    if (out.has(u)) return;
    out.add(u);
    for (const dep of list(record(u.applier.spec).dependsOn)) {
      const next = byName.get(str(record(dep).name) ?? '');
      if (next) visit(next);
    }
  };
  visit(unit);
  return out;
}

/** Whether Argo CD judges the consumer unhealthy while the reference is missing (a pod that never starts). */
function waitsOnReference(obj: KubeObject): boolean {
  return ARGO_CD_HEALTH[`${groupOf(obj.apiVersion)}/${obj.kind}`]?.podOwner === true;
}

const stuck = (consumer: KubeObject) =>
  waitsOnReference(consumer) ? `; ${consumer.kind} ${consumer.metadata.name} never becomes Healthy without it, so the sync never gets that far and never completes` : '';

export function deliveredInTime(consumer: Placed, producer: Placed, units: readonly AppliedUnit[], assessesApplicationHealth: boolean): Order {
  const c = consumer.unit;
  const p = producer.unit;
  if (c.tool === 'flux' && p.tool === 'flux') {
    return fluxAppliedBefore(c, units).has(p) ? IN_TIME : { inTime: false, why: `it is delivered by ${unitName(p)}, which ${c.applier.metadata.name} does not depend on, so it may not exist when the reference is applied` };
  }
  if (c.tool !== p.tool) {
    return { inTime: false, why: `it is delivered by ${p.tool === 'flux' ? 'Flux' : 'Argo CD'} ${unitName(p)}, and ${c.tool === 'flux' ? 'Flux' : 'Argo CD'} ${unitName(c)} does not wait for ${p.tool === 'flux' ? 'Flux' : 'Argo CD'}` };
  }
  if (p.automated !== true && p !== c) {
    return { inTime: false, why: `it is delivered by ${unitName(p)}, whose sync policy is not automated: nothing applies it until someone syncs it` };
  }
  if (p === c) {
    const [pp, pw] = syncStep(producer.obj);
    const [cp, cw] = syncStep(consumer.obj);
    if (pp < cp || (pp === cp && pw <= cw)) return IN_TIME;
    return { inTime: false, why: `${unitName(p)} applies it in sync wave ${pw}, after wave ${cw} of the reference, and Argo CD applies a wave only once the previous one is Healthy${stuck(consumer.obj)}` };
  }
  // A person syncs a manual Application after the automated ones have run.
  if (c.automated !== true) return IN_TIME;
  if (p.parent === undefined || p.parent !== c.parent) return { inTime: false, why: `it is delivered by ${unitName(p)}, which no parent Application orders before ${unitName(c)}` };
  const [pw, cw] = [syncWave(p.applier), syncWave(c.applier)];
  if (!assessesApplicationHealth) {
    return { inTime: false, why: `it is delivered by ${unitName(p)}, and argocd-cm does not restore Application health (resource.customizations.health.argoproj.io_Application), so parent ${p.parent} syncs its children without waiting for each wave to be Healthy` };
  }
  if (pw < cw) return IN_TIME;
  if (pw === cw) return { inTime: false, why: `it is delivered by ${unitName(p)}, in the same sync wave (${pw}) of parent ${p.parent} as ${unitName(c)}, which Argo CD syncs in parallel` };
  return { inTime: false, why: `it is delivered by ${unitName(p)} in sync wave ${pw} of parent ${p.parent}, after ${unitName(c)}'s wave ${cw}, and the parent creates wave ${pw} only once wave ${cw} is Healthy${stuck(consumer.obj)}` };
}
