import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { FleetError, type Problem } from '../model/problem';
import { fsProblem } from './fs-problem';
import { DIST_DIR } from './layout';
import { OutputContainment } from './output-containment';
import { acquireOutputLock, tookOverFromDeadWriter } from './output-lock';
import { indexProblems, readIndex, readIndexText, removeStaleTemporaries, restoreIndexText, temporaryName, writeIndex } from './output-index';
import { GENERATED_MARKER } from './yaml';

export { INDEX_FILE, indexProblems, readIndex, TEMPORARY_MARK } from './output-index';

/**
 * Writes rendered files under `root`, touching only what the generator owns.
 *
 * - Only files whose bytes changed are written (git and Flux see no churn, and it is faster).
 * - Nothing is touched outside `dist/` and `clusters/`, inside `flux-system/`, or through a
 *   symbolic link leading elsewhere (output-containment.ts); a hand-edited index entry that
 *   points there is refused, before any file is written.
 * - Every changed file is first written next to its target and then renamed over it, after all
 *   temporary files were written successfully; a failure before that point removes the
 *   temporaries and leaves the previous output as it was.
 * - The index is replaced atomically, and before any file is renamed into place it already
 *   lists every file this run may create: a run killed at any point leaves each file old or
 *   new and an index that still names every generated file, so the next run prunes what is
 *   stale and converges. Temporary files of a killed run are removed by the next one.
 * - Pruning deletes a file only when the previous run's index lists it AND it still starts with
 *   the generated marker, so hand-made files and `flux bootstrap`'s flux-system/ are never lost.
 * - One writer per tree (output-lock.ts).
 */
export interface WriteOptions {
  /**
   * Only paths under these prefixes belong to this run (one-cluster renders); the index keeps
   * every other entry as it was, and nothing outside is pruned.
   * @default - the whole output
   */
  readonly scope?: readonly string[];
  /**
   * Files this run owns but did not re-render (incremental synth reused them): neither written
   * nor pruned, and kept in the index.
   * @default []
   */
  readonly keep?: readonly string[];
  /**
   * Walk the whole tree for temporary files even when the previous writer ended cleanly. After a
   * writer that died (its lock taken over) the walk always happens; a full render asks for it
   * too, so a tree whose lock was deleted by hand converges on the next `synth --full`.
   * @default false
   */
  readonly sweepTemporaries?: boolean;
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: number;
  readonly deleted: readonly string[];
  /** Files listed in the index that were edited by hand (marker removed) and so kept. */
  readonly kept: readonly string[];
  /** Temporary files an interrupted run left, removed by this one. */
  readonly temporariesRemoved: readonly string[];
  /** Warnings for the command to print (a stale lock taken over). */
  readonly notices: readonly Problem[];
}

export function inScope(path: string, scope?: readonly string[]): boolean {
  return !scope || scope.some((prefix) => path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`));
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * The names in each directory, listed once per write: a fresh output (every directory new) then
 * costs one failed readdir per directory instead of one failed read per file, and directories
 * are created once, not once per file.
 */
class DirectoryListing {
  private readonly listed = new Map<string, Set<string> | undefined>();

  has(path: string): boolean {
    return this.entries(dirname(path))?.has(basename(path)) ?? false;
  }

  /** Creates the file's directory (and parents) unless this run has seen it. */
  ensureParent(path: string): void {
    const dir = dirname(path);
    if (this.entries(dir) !== undefined) return;
    mkdirSync(dir, { recursive: true });
    this.listed.set(dir, new Set());
  }

  private entries(dir: string): Set<string> | undefined {
    if (!this.listed.has(dir)) {
      let names: Set<string> | undefined;
      try {
        names = new Set(readdirSync(dir));
      } catch {
        names = undefined;
      }
      this.listed.set(dir, names);
    }
    return this.listed.get(dir);
  }
}

/** Writes the output; every file-system failure is a FleetError naming the file (fs-problem.ts). */
export function writeOutput(root: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteReport {
  try {
    const lock = acquireOutputLock(root);
    try {
      const report = writeLocked(root, files, options);
      return { ...report, notices: [...lock.notices, ...report.notices] };
    } finally {
      lock.release();
    }
  } catch (cause) {
    const problem = fsProblem(cause, root);
    if (problem) throw new FleetError([problem]);
    throw cause;
  }
}

function writeLocked(root: string, files: ReadonlyMap<string, string>, options: WriteOptions): WriteReport {
  // Walking the tree is a readdir per directory (a tenth of an incremental synth at 500 services):
  // only a writer that died can have left temporaries, so only then (or when asked) is it paid.
  const temporariesRemoved = options.sweepTemporaries || tookOverFromDeadWriter(root) ? removeStaleTemporaries(root) : [];
  const previousIndex = readIndexText(root);
  const previous = readIndex(root);
  const owned = new Set([...files.keys(), ...(options.keep ?? [])]);
  const prunable = previous.filter((path) => !owned.has(path) && inScope(path, options.scope));
  refuseUncontained(root, previous, [...files.keys()], prunable);

  const listing = new DirectoryListing();
  const changed = [...files.entries()].filter(([path, content]) => {
    const target = join(root, path);
    return !listing.has(target) || readIfExists(target) !== content;
  });
  const temporaries: [string, string][] = [];
  try {
    for (const [path, content] of changed) {
      const target = join(root, path);
      listing.ensureParent(target);
      const temporary = temporaryName(target);
      temporaries.push([temporary, target]);
      writeTemporary(temporary, content);
    }
    // From here on files change: the index first names every file that may exist afterwards.
    const previousSet = new Set(previous);
    if ([...owned].some((path) => !previousSet.has(path))) writeIndex(root, [...previous, ...owned]);
  } catch (cause) {
    for (const [temporary] of temporaries) unlinkIfExists(temporary);
    restoreIndex(root, previousIndex);
    throw cause;
  }
  renameIntoPlace(root, temporaries, previousIndex);

  const deleted: string[] = [];
  const kept: string[] = [];
  for (const path of prunable) {
    const current = readIfExists(join(root, path));
    if (current === undefined) continue;
    if (!current.startsWith(GENERATED_MARKER)) {
      kept.push(path);
      continue;
    }
    unlinkSync(join(root, path));
    removeEmptyParents(root, dirname(path));
    deleted.push(path);
  }
  writeIndex(root, [...previous.filter((path) => !inScope(path, options.scope)), ...owned]);
  return { written: changed.map(([path]) => path), unchanged: files.size - changed.length, deleted, kept, temporariesRemoved, notices: [] };
}

/**
 * The commit: each temporary renamed over its target (atomic per file). A rename cannot run
 * out of space, but may still fail (EIO, a file system mounted read-only under us): then the
 * remaining temporaries are removed, and when no file was replaced yet the previous index is
 * put back, so the output is exactly as before; otherwise each file is old or new and the
 * index names all of them, for the next run to converge.
 */
function renameIntoPlace(root: string, temporaries: readonly (readonly [string, string])[], previousIndex: string | undefined): void {
  let renamed = 0;
  try {
    for (const [temporary, target] of temporaries) {
      renameSync(temporary, target);
      renamed++;
    }
  } catch (cause) {
    for (const [temporary] of temporaries.slice(renamed)) unlinkIfExists(temporary);
    if (renamed === 0) restoreIndex(root, previousIndex);
    throw cause;
  }
}

function restoreIndex(root: string, previous: string | undefined): void {
  try {
    restoreIndexText(root, previous);
  } catch {
    // the superset index stays: still safe, the next run prunes by it
  }
}

/** Every problem with the index and with the paths this run would write or prune, before any change. */
function refuseUncontained(root: string, previous: readonly string[], writes: readonly string[], prunes: readonly string[]): void {
  const problems: Problem[] = [...indexProblems(previous)];
  const invalid = new Set(problems.map((p) => p.place.field));
  const containment = new OutputContainment(root);
  for (const path of writes) {
    const problem = containment.problemWith(path, 'write');
    if (problem) problems.push(problem);
  }
  for (const path of prunes) {
    const problem = invalid.has(path) ? undefined : containment.problemWith(path, 'prune');
    if (problem) problems.push(problem);
  }
  if (problems.length > 0) throw new FleetError(problems);
}

/**
 * Writes a temporary copy. Not flushed to disk: a killed process loses nothing the kernel has,
 * and flushing hundreds of files would make every synth wait on the disk; only the index,
 * which pruning trusts, is flushed (output-index.ts).
 */
function writeTemporary(path: string, content: string): void {
  const fd = openSync(path, 'w');
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

function unlinkIfExists(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // never written, or already gone
  }
}

function removeEmptyParents(root: string, dir: string): void {
  let current = dir;
  while (current && current !== '.' && current !== DIST_DIR && current !== 'clusters') {
    const absolute = join(root, current);
    if (!existsSync(absolute) || readdirSync(absolute).length > 0) return;
    rmdirSync(absolute);
    current = dirname(current);
  }
}
