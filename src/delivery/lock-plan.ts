import { environmentOf } from '../model/resolve';
import type { FleetSpec, ServiceEntry } from '../model/fleet';
import type { Problem } from '../model/problem';
import type { ReleaseLock } from '../model/release-lock-types';

/**
 * What `release` and `promote` decide before anything is written: the lock's new text and the
 * version changes it makes. Plans are computed from the fleet and the lock text only (pure); the
 * command applies one with applyLockPlan, or prints it with --dry-run.
 */
export interface VersionChange {
  readonly environment: string;
  readonly service: string;
  /** Version before; undefined when the environment had none for the service. */
  readonly from?: string;
  readonly to: string;
}

export interface LockPlan {
  /** The lock file's new text: only changed values differ; comments and markers are kept. */
  readonly text: string;
  readonly releases: ReleaseLock;
  /** Every requested service, including those already at the version (from === to). */
  readonly changes: readonly VersionChange[];
  /** Worth printing, never blocking: entries Flux cannot update, services no cluster runs. */
  readonly warnings: readonly Problem[];
}

export type PlanResult = { readonly ok: true; readonly plan: LockPlan } | { readonly ok: false; readonly problems: readonly Problem[] };

/** The version a service runs in an environment: the lock wins, then TypeScript (as resolve.ts). */
export function versionIn(fleet: FleetSpec, entry: ServiceEntry, environment: string): string | undefined {
  return fleet.releases?.[environment]?.[entry.service.name] ?? environmentOf(entry.system, environment)?.services?.[entry.service.name]?.tag ?? entry.service.tag;
}

/** True when some cluster of the environment runs the service (so its version is live there). */
export function runsIn(fleet: FleetSpec, service: string, environment: string): boolean {
  return fleet.clusters.some((cluster) => cluster.environment === environment && cluster.services.includes(service));
}

/** Every environment some system defines. */
export function knownEnvironments(fleet: FleetSpec): string[] {
  return [...new Set(fleet.systems.flatMap((system) => system.environments.map((env) => env.name)))].sort();
}

/** `development/clients-api  1.4.2 → 1.5.0` lines, aligned; unchanged services say so. */
export function formatChanges(changes: readonly VersionChange[]): string[] {
  const width = Math.max(0, ...changes.map((c) => `${c.environment}/${c.service}`.length));
  return changes.map((change) => {
    const name = `${change.environment}/${change.service}`.padEnd(width);
    if (change.from === change.to) return `  ${name}  ${change.to} (unchanged)`;
    return `  ${name}  ${change.from ?? '(none)'} → ${change.to}`;
  });
}

export function changed(changes: readonly VersionChange[]): VersionChange[] {
  return changes.filter((change) => change.from !== change.to);
}
