import { createHash } from 'node:crypto';

/**
 * Incremental rendering works on units: the base of one service (`base/<service>`) and the
 * overlay of one service on one cluster (`overlay/<cluster>/<service>`). A unit's input hash
 * covers everything its files are computed from (the resolved service before and after the
 * environment's overrides, the cluster facts, the generator version), so an unchanged hash
 * means unchanged files and the unit's cdk8s synthesis can be skipped.
 */
export interface RenderedUnit {
  readonly key: string;
  readonly input: string;
  /** Files the unit owns (relative to the output root). */
  readonly files: readonly string[];
  /** True when the files were not re-rendered because the input hash matched. */
  readonly reused: boolean;
}

/** Answers "is this unit's output on disk still what this input renders?" with its file list. */
export type ReuseLookup = (key: string, input: string) => readonly string[] | undefined;

export function inputHash(generator: string, ...parts: readonly unknown[]): string {
  const hash = createHash('sha256').update(generator);
  for (const part of parts) hash.update('\0').update(JSON.stringify(part) ?? 'undefined');
  return hash.digest('hex').slice(0, 32);
}
