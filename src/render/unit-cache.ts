import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedUnit, ReuseLookup } from './render-units';

/**
 * The on-disk record of the last synth's units: input hash and, per file, size and mtime as
 * written. A unit is reused only when its input hash matches AND every file still has that
 * size and mtime — a deleted or hand-edited file makes the unit render again. Kept under
 * node_modules/.cache (never committed; a fresh clone simply renders everything).
 */
export const UNIT_CACHE_FILE = 'node_modules/.cache/fleet-synth/units.json';

export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

interface CacheData {
  readonly generator: string;
  readonly units: Record<string, { readonly input: string; readonly files: Record<string, FileStamp> }>;
}

function stamp(path: string): FileStamp | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats && { size: stats.size, mtimeMs: stats.mtimeMs };
}

/** The previous run's record, as a reuse lookup for this run. */
export interface LoadedUnitCache {
  readonly reuse: ReuseLookup;
  /**
   * Stamps of the files of every unit the lookup found intact in this run: saving the record
   * takes them from here instead of stat-ing every reused file a second time (at fleet scale,
   * the stats were a third of an incremental synth).
   */
  readonly verified: ReadonlyMap<string, FileStamp>;
}

const EMPTY: LoadedUnitCache = { reuse: () => undefined, verified: new Map() };

export function loadUnitCache(root: string, generator: string): LoadedUnitCache {
  let data: CacheData | undefined;
  try {
    data = JSON.parse(readFileSync(join(root, UNIT_CACHE_FILE), 'utf8')) as CacheData;
  } catch {
    return EMPTY;
  }
  if (data.generator !== generator) return EMPTY;
  const units = data.units;
  const verified = new Map<string, FileStamp>();
  const reuse: ReuseLookup = (key, input) => {
    const unit = units[key];
    if (!unit || unit.input !== input) return undefined;
    const paths = Object.keys(unit.files);
    for (const path of paths) {
      const expected = unit.files[path];
      const actual = stamp(join(root, path));
      if (!actual || actual.size !== expected.size || actual.mtimeMs !== expected.mtimeMs) return undefined;
    }
    for (const path of paths) verified.set(path, unit.files[path]);
    return paths;
  };
  return { reuse, verified };
}

/**
 * Records this run's units over the previous record (a one-cluster synth keeps the others').
 * Files of reused units take their stamps from `verified` (checked by this run's lookup);
 * files of re-rendered units are stat-ed after the write.
 */
export function saveUnitCache(root: string, generator: string, units: readonly RenderedUnit[], verified: ReadonlyMap<string, FileStamp> = new Map()): void {
  const target = join(root, UNIT_CACHE_FILE);
  let previous: CacheData['units'] = {};
  try {
    const data = JSON.parse(readFileSync(target, 'utf8')) as CacheData;
    if (data.generator === generator) previous = data.units;
  } catch {
    // no previous record: start empty
  }
  const data: CacheData = {
    generator,
    units: {
      ...previous,
      ...Object.fromEntries(
        units.map((unit) => [
          unit.key,
          { input: unit.input, files: Object.fromEntries(unit.files.map((path) => [path, (unit.reused && verified.get(path)) || stamp(join(root, path)) || { size: -1, mtimeMs: -1 }])) },
        ]),
      ),
    },
  };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, JSON.stringify(data));
  renameSync(`${target}.tmp`, target);
}
