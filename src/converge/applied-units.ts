import type { KubeObject } from '../model/kube-object';
import { record, str, stringMap } from '../validate/json';
import type { ConvergeInput } from './converge-input';

/**
 * Who applies what: every Flux Kustomization of the entry files and every Argo CD Application
 * (the app-of-apps parent applied by hand, and the children it applies), each with the objects
 * its path builds to. Delivery, readiness and ownership are checked per unit.
 *
 * Argo CD's ordering and automation, as argoproj/argo-cd v3 and argoproj/gitops-engine do them:
 * - an Application applies its path only under an automated sync policy
 *   (`spec.syncPolicy.automated`, not `enabled: false`); without one nothing applies until
 *   someone syncs it (argo-cd docs user-guide/auto_sync.md). Children of a parent that is not
 *   automated do not even exist until the parent is synced;
 * - within one sync, resources go by phase (PreSync, Sync, PostSync: `argocd.argoproj.io/hook`),
 *   then sync wave (`argocd.argoproj.io/sync-wave`, default 0), then kind; each wave must be
 *   Healthy before the next starts (gitops-engine pkg/sync/sync_tasks.go, sync_context.go
 *   getOperationPhase: Progressing waits, Degraded fails the sync);
 * - a parent orders its child Applications by their sync-wave annotation only when Argo CD
 *   assesses Application health, which it stopped doing in 1.8 unless argocd-cm carries
 *   `resource.customizations.health.argoproj.io_Application` (argo-cd docs
 *   operator-manual/health.md, "Argo CD App").
 */
export interface AppliedUnit {
  /** The Flux Kustomization or Argo CD Application that applies the objects. */
  readonly applier: KubeObject;
  readonly tool: 'flux' | 'argocd';
  readonly objects: readonly KubeObject[];
  /** Argo CD: whether the Application syncs by itself (its own policy and every parent's). */
  readonly automated?: boolean;
  /** Argo CD: the parent Application that applies this one, if any. */
  readonly parent?: string;
}

export const SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const SYNC_HOOK = 'argocd.argoproj.io/hook';
export const APPLICATION_HEALTH_KEY = 'resource.customizations.health.argoproj.io_Application';

/** `Kustomization infra-configs` / `Application staging-apps-microservices`. */
export function unitName(unit: AppliedUnit): string {
  return `${unit.tool === 'flux' ? 'Kustomization' : 'Application'} ${unit.applier.metadata.name}`;
}

const normalise = (path: string) => path.replace(/^\.\//, '').replace(/\/+$/, '');

export function isApplication(obj: KubeObject): boolean {
  return obj.kind === 'Application' && obj.apiVersion.startsWith('argoproj.io/');
}

/** `spec.syncPolicy.automated` present and not disabled (`enabled: false`, Argo CD ≥ 3.1). */
export function syncsAutomatically(application: KubeObject): boolean {
  const automated = record(record(application.spec).syncPolicy).automated;
  return automated !== undefined && automated !== null && record(automated).enabled !== false;
}

/** The sync wave of an object (of an Application, among its parent's children). */
export function syncWave(obj: KubeObject): number {
  const wave = Number(stringMap(obj.metadata.annotations)[SYNC_WAVE] ?? '0');
  return Number.isInteger(wave) ? wave : 0;
}

/** Phase then wave: the order gitops-engine applies an Application's objects in. */
export function syncStep(obj: KubeObject): readonly [number, number] {
  const hook = stringMap(obj.metadata.annotations)[SYNC_HOOK] ?? '';
  const phase = hook.includes('PreSync') ? -1 : hook.includes('PostSync') ? 1 : 0;
  return [phase, syncWave(obj)];
}

/** Whether argocd-cm (anywhere in what is applied) restores Application health. */
export function assessesApplicationHealth(objects: readonly KubeObject[]): boolean {
  return objects.some((o) => o.kind === 'ConfigMap' && o.metadata.name === 'argocd-cm' && stringMap(record(o).data)[APPLICATION_HEALTH_KEY] !== undefined);
}

/** Flux units of the entry files, then Argo CD units from the bootstrap Applications down. */
export function appliedUnits(input: ConvergeInput): AppliedUnit[] {
  const flux: AppliedUnit[] = input.entry
    .filter((o) => o.kind === 'Kustomization' && o.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/'))
    .map((applier) => ({ applier, tool: 'flux', objects: input.builds.get(normalise(str(record(applier.spec).path) ?? '')) ?? [] }));
  return [...flux, ...argoCdUnits(input)];
}

function argoCdUnits(input: ConvergeInput): AppliedUnit[] {
  const argo = input.argoCd;
  if (!argo) return [];
  const objectsAt = (path: string) => argo.builds.get(path) ?? input.builds.get(path) ?? [];
  const units: AppliedUnit[] = [];
  const seen = new Set<string>();
  const visit = (application: KubeObject, parent: AppliedUnit | undefined) => {
    if (seen.has(application.metadata.name)) return;
    seen.add(application.metadata.name);
    const path = normalise(str(record(record(application.spec).source).path) ?? '');
    const unit: AppliedUnit = {
      applier: application,
      tool: 'argocd',
      objects: objectsAt(path),
      automated: syncsAutomatically(application) && (parent === undefined || parent.automated === true),
      parent: parent?.applier.metadata.name,
    };
    units.push(unit);
    for (const child of unit.objects.filter(isApplication)) visit(child, unit);
  };
  for (const application of argo.bootstrap.filter(isApplication)) visit(application, undefined);
  return units;
}
