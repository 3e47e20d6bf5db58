import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DIST_DIR } from './layout';
import { GENERATED_MARKER } from './yaml';

/**
 * Writes rendered files under `root`, touching only what the generator owns.
 *
 * - Only files whose bytes changed are written (git and Flux see no churn, and it is faster).
 * - Every changed file is first written next to its target and then renamed over it, after all
 *   temporary files were written successfully; a failure before that point removes the
 *   temporaries and leaves the previous output as it was.
 * - Pruning deletes a file only when the previous run's index lists it AND it still starts with
 *   the generated marker, so hand-made files and `flux bootstrap`'s flux-system/ are never lost.
 */
export const INDEX_FILE = `${DIST_DIR}/.generated-files`;

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
}

export interface WriteReport {
  readonly written: readonly string[];
  readonly unchanged: number;
  readonly deleted: readonly string[];
  /** Files listed in the index that were edited by hand (marker removed) and so kept. */
  readonly kept: readonly string[];
}

export function readIndex(root: string): string[] {
  const path = join(root, INDEX_FILE);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
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

export function writeOutput(root: string, files: ReadonlyMap<string, string>, options: WriteOptions = {}): WriteReport {
  const previous = readIndex(root);
  const owned = new Set([...files.keys(), ...(options.keep ?? [])]);
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
      const temporary = `${target}.fleet-tmp-${process.pid}`;
      writeFileSync(temporary, content);
      temporaries.push([temporary, target]);
    }
  } catch (cause) {
    for (const [temporary] of temporaries) unlinkSync(temporary);
    throw cause;
  }
  for (const [temporary, target] of temporaries) renameSync(temporary, target);

  const deleted: string[] = [];
  const kept: string[] = [];
  for (const path of previous) {
    if (owned.has(path) || !inScope(path, options.scope)) continue;
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
  const index = [...new Set([...previous.filter((path) => !inScope(path, options.scope)), ...owned])].sort();
  const indexText = `# Files written by npm run synth; pruning deletes only these.\n${index.join('\n')}\n`;
  if (readIfExists(join(root, INDEX_FILE)) !== indexText) {
    mkdirSync(join(root, DIST_DIR), { recursive: true });
    writeFileSync(join(root, INDEX_FILE), indexText);
  }
  return { written: changed.map(([path]) => path), unchanged: files.size - changed.length, deleted, kept };
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
