import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { error, type Problem } from '../model/problem';
import { DIST_DIR } from './layout';
import { FLUX_SYSTEM_DIR, OUTPUT_ROOTS, outsideOutputReason } from './output-containment';

/**
 * The index of generated files (`dist/.generated-files`): the list pruning trusts, so it is
 * validated when read and replaced atomically when written. Also the walk over the output tree
 * that finds temporary files of an interrupted run and generated files missing from the index.
 */
export const INDEX_FILE = `${DIST_DIR}/.generated-files`;
const INDEX_HEADER = '# Files written by npm run synth; pruning deletes only these.';

/** Suffix of the temporary copy a file is written to before it is renamed into place. */
export const TEMPORARY_MARK = '.fleet-tmp-';

export function temporaryName(path: string): string {
  return `${path}${TEMPORARY_MARK}${process.pid}`;
}

export function readIndex(root: string): string[] {
  const text = readIndexText(root);
  if (text === undefined) return [];
  return text.split('\n').filter((line) => line && !line.startsWith('#'));
}

/** Entries synth could not have written: outside dist/ and clusters/, in flux-system/, not normalised. */
export function indexProblems(entries: readonly string[]): Problem[] {
  return entries.flatMap((entry) => {
    const reason = entry === INDEX_FILE ? 'it is the index itself' : outsideOutputReason(entry);
    if (reason === undefined) return [];
    return [
      error(
        'output/index-entry-refused',
        { field: entry },
        `${INDEX_FILE} lists ${JSON.stringify(entry)}, which synth never writes (${reason}); it is not pruned`,
        `remove that line from ${INDEX_FILE} (it was edited by hand or by another tool) and run \`npm run synth\``,
      ),
    ];
  });
}

/**
 * Replaces the index: written to a temporary file, flushed to disk, renamed over the old one and
 * the directory flushed, so after a crash or power loss the index is the old list or the new
 * one, never a truncated one (a truncated index would orphan generated files forever).
 */
export function writeIndex(root: string, entries: readonly string[]): void {
  writeIndexText(root, `${INDEX_HEADER}\n${[...new Set(entries)].sort().join('\n')}\n`);
}

/** The index exactly as it is on disk; undefined when there is none. */
export function readIndexText(root: string): string | undefined {
  try {
    return readFileSync(join(root, INDEX_FILE), 'utf8');
  } catch {
    return undefined;
  }
}

/** Puts back an index read with readIndexText (removing it when there was none). */
export function restoreIndexText(root: string, text: string | undefined): void {
  if (text !== undefined) writeIndexText(root, text);
  else if (readIndexText(root) !== undefined) unlinkSync(join(root, INDEX_FILE));
}

function writeIndexText(root: string, text: string): void {
  const path = join(root, INDEX_FILE);
  if (readIndexText(root) === text) return;
  mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryName(path);
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (cause) {
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
    throw cause;
  }
  syncDirectory(dirname(path));
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface OutputTreeFiles {
  /** Every regular file under dist/ and clusters/ (outside flux-system/), relative to the root. */
  readonly files: readonly string[];
  /** Those that are temporary copies of an interrupted run. */
  readonly temporaries: readonly string[];
}

/**
 * The files under the output roots, without following symbolic links and without entering
 * flux-system/ (bootstrap's files are none of synth's business).
 */
export function listOutputTree(root: string): OutputTreeFiles {
  const files: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== FLUX_SYSTEM_DIR) walk(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  };
  for (const dir of OUTPUT_ROOTS) walk(dir);
  files.sort();
  return { files, temporaries: files.filter(isTemporary) };
}

export function isTemporary(path: string): boolean {
  return /\.fleet-tmp-\d+$/.test(path);
}

/**
 * Removes the temporary files a killed run left (called holding the output lock, so no live
 * writer owns them). Returns their paths.
 */
export function removeStaleTemporaries(root: string): string[] {
  const { temporaries } = listOutputTree(root);
  for (const path of temporaries) unlinkSync(join(root, path));
  return [...temporaries];
}
