import type { ChartAppSpec } from './custom-chart';
import type { EnvironmentSpec } from './environment';
import type { FleetSpec, SystemSpec } from './fleet';
import type { HelmAppSpec } from './helm-app';

/** An app of the fleet (not a service): a Helm-chart app or a chart app, with its system. */
export type AppEntry =
  | { readonly kind: 'helm'; readonly app: HelmAppSpec<unknown>; readonly system: SystemSpec }
  | { readonly kind: 'chart'; readonly app: ChartAppSpec<unknown>; readonly system: SystemSpec };

const cache = new WeakMap<FleetSpec, ReadonlyMap<string, AppEntry>>();

/** Every app of the fleet by name (the first of a duplicated name; the model check reports the rest). */
export function appEntries(fleet: FleetSpec): ReadonlyMap<string, AppEntry> {
  const cached = cache.get(fleet);
  if (cached) return cached;
  const entries = new Map<string, AppEntry>();
  for (const entry of allApps(fleet)) if (!entries.has(entry.app.name)) entries.set(entry.app.name, entry);
  cache.set(fleet, entries);
  return entries;
}

/** Every app in declaration order: each system's Helm apps, then its chart apps. */
export function allApps(fleet: FleetSpec): AppEntry[] {
  return fleet.systems.flatMap((system): AppEntry[] => [
    ...(system.helmApps ?? []).map((app) => ({ kind: 'helm' as const, app, system })),
    ...(system.charts ?? []).map((app) => ({ kind: 'chart' as const, app, system })),
  ]);
}

export function appNamespaceOf(entry: AppEntry, environment: EnvironmentSpec): string {
  return entry.app.namespace ?? environment.namespace ?? 'default';
}
