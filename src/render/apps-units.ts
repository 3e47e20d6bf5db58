import { appsUnitName, type AppsUnit } from '../model/placement';

// The unit and its name are the model's (the model check rejects clashing names); keeping each
// unit to a few hundred objects keeps kustomize-controller's builds fast.
export { appsUnitName, type AppsUnit };

/**
 * Above this many objects in one unit, synth warns (`flux/large-build`). Measured with
 * `kubectl kustomize` (kustomize 5.5) on one namespace of N services × 8 objects: 400 objects
 * 1.2 s, 800 → 2.6 s, 1,600 → 9.7 s, 3,200 → 46 s.
 */
export const MAX_OBJECTS_PER_APPS_UNIT = 500;

/** Namespace order, each namespace's own unit before its groups (alphabetical). */
export function compareAppsUnits(a: AppsUnit, b: AppsUnit): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.group === b.group) return 0;
  if (a.group === undefined) return -1;
  if (b.group === undefined) return 1;
  return a.group < b.group ? -1 : 1;
}

/**
 * The distinct units of some placements, sorted; `secretNamespaces` get their own unit even
 * without ungrouped services (secrets live in the namespace's own unit).
 */
export function appsUnits(placements: readonly AppsUnit[], secretNamespaces: readonly string[] = []): AppsUnit[] {
  const units = new Map<string, AppsUnit>();
  const own = secretNamespaces.map((namespace): AppsUnit => ({ namespace }));
  for (const unit of [...placements, ...own]) {
    const key = appsUnitName(unit);
    const known = units.get(key);
    // The model check rejects two units with one name (model/invalid-apply-group); never drop one silently.
    if (known && (known.namespace !== unit.namespace || known.group !== unit.group)) throw new Error(`unchecked model: ${key} names two apps units`);
    if (!known) units.set(key, unit.group === undefined ? { namespace: unit.namespace } : { namespace: unit.namespace, group: unit.group });
  }
  return [...units.values()].sort(compareAppsUnits);
}
