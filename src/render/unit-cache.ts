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

interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
}

interface CacheData {
  readonly generator: string;
  readonly units: Record<string, { readonly input: string; readonly files: Record<string, FileStamp> }>;
}

function stamp(path: string): FileStamp | undefined {
  try {
    const stats = statSync(path);
    return { size: stats.size, mtimeMs: stats.mtimeMs };
  } catch {
    return undefined;
  }
}

export function loadUnitCache(root: string, generator: string): ReuseLookup {
  let data: CacheData | undefined;
  try {
    data = JSON.parse(readFileSync(join(root, UNIT_CACHE_FILE), 'utf8')) as CacheData;
  } catch {
    return () => undefined;
  }
  if (data.generator !== generator) return () => undefined;
  const units = data.units;
  return (key, input) => {
    const unit = units[key];
    if (!unit || unit.input !== input) return undefined;
    for (const [path, expected] of Object.entries(unit.files)) {
      const actual = stamp(join(root, path));
      if (!actual || actual.size !== expected.size || actual.mtimeMs !== expected.mtimeMs) return undefined;
    }
    return Object.keys(unit.files);
  };
}

/** Records this run's units over the previous record (a one-cluster synth keeps the others'). */
export function saveUnitCache(root: string, generator: string, units: readonly RenderedUnit[]): void {
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
        units.map((unit) => [unit.key, { input: unit.input, files: Object.fromEntries(unit.files.map((path) => [path, stamp(join(root, path)) ?? { size: -1, mtimeMs: -1 }])) }]),
      ),
    },
  };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, JSON.stringify(data));
  renameSync(`${target}.tmp`, target);
}
