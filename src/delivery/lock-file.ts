import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { error, FleetError, type Problem } from '../model/problem';
import { RELEASE_LOCK_FILE, type ReleaseLock } from '../model/release-lock-types';
import { parseReleaseLock } from './release-lock';

/**
 * The release lock on disk: the only I/O of the delivery layer besides rendering. Everything
 * that decides what to write (release, promote) works on the text and is pure.
 */

/**
 * The project root: the nearest directory above `start` holding the lock. Works from the source
 * tree (jest: src/environments) and from the bundled commands (build/commands) alike.
 */
export function findProjectRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, RELEASE_LOCK_FILE))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new FleetError([missingLock(start)]);
    dir = parent;
  }
}

function missingLock(root: string): Problem {
  return error('release/missing-lock', { field: RELEASE_LOCK_FILE }, `no release lock at ${join(root, RELEASE_LOCK_FILE)}`, `run the command from the project root, or restore ${RELEASE_LOCK_FILE} from Git`);
}

/** The lock's text under `root`, or the problem that it is missing. */
export function readLockText(root: string): { text: string } | { problem: Problem } {
  const path = join(root, RELEASE_LOCK_FILE);
  return existsSync(path) ? { text: readFileSync(path, 'utf8') } : { problem: missingLock(root) };
}

/** Parsed lock for the fleet definition; a lock that cannot be read stops everything (FleetError). */
export function loadReleaseLock(root: string): ReleaseLock {
  const read = readLockText(root);
  if ('problem' in read) throw new FleetError([read.problem]);
  const parsed = parseReleaseLock(read.text);
  const errors = parsed.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new FleetError(errors);
  return parsed.releases;
}

/** Replaces the lock atomically (temporary file, then rename): a crash never leaves half a lock. */
export function writeLockText(root: string, text: string): void {
  const path = join(root, RELEASE_LOCK_FILE);
  const temporary = `${path}.fleet-tmp-${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
