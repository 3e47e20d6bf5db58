import { linkSync, mkdirSync, readdirSync, readFileSync, realpathSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { error, FleetError, warning, type Problem } from '../model/problem';

/**
 * One writer per output tree: two synths (or a synth and a `release`) racing on the same tree
 * would interleave their files and indexes. The lock is a file at the output root holding the
 * owner's pid and host; it is created complete and atomically (written to a private name, then
 * hard-linked to the lock name, which fails when the lock exists), so a reader never sees an
 * empty lock. A lock left by a process that no longer exists (kill -9, a crash) is taken over
 * with a warning. Holding is re-entrant within one process: the synth pipeline holds it from
 * reading the previous output to writing the unit cache, and writeOutput takes it again.
 */
export const LOCK_FILE = '.fleet-synth.lock';

export interface OutputLock {
  /** Releases this hold; the file is removed when the process's last hold on the tree ends. */
  readonly release: () => void;
  /** A stale lock taken over, for the command to print. */
  readonly notices: readonly Problem[];
}

const held = new Map<string, number>();
/** Trees whose current hold began by taking over a dead writer's lock: it may have left temporaries. */
const recovered = new Set<string>();

export function acquireOutputLock(root: string): OutputLock {
  mkdirSync(root, { recursive: true });
  const key = realpathSync(root);
  const path = join(key, LOCK_FILE);
  const notices: Problem[] = [];
  if (!held.has(key)) {
    const owner = `${process.pid} ${hostname()}\n`;
    const claim = `${path}.${process.pid}`;
    writeFileSync(claim, owner);
    let linked = false;
    try {
      linked = tryLink(claim, path);
      if (!linked) {
        const stale = staleOwner(path);
        if (stale === undefined) throw new FleetError([locked(path)]);
        notices.push(takenOver(path, stale));
        recovered.add(key);
        unlinkSync(path);
        linked = tryLink(claim, path);
        if (!linked) throw new FleetError([locked(path)]);
      }
      unlinkSync(claim);
      removeDeadClaims(key);
    } catch (cause) {
      // Whatever failed, this process does not hold the tree: leave neither claim nor lock behind.
      removeQuietly(claim);
      if (linked) removeQuietly(path);
      throw cause;
    }
  }
  held.set(key, (held.get(key) ?? 0) + 1);
  let released = false;
  return {
    notices,
    release: () => {
      if (released) return;
      released = true;
      const count = (held.get(key) ?? 1) - 1;
      if (count > 0) {
        held.set(key, count);
        return;
      }
      held.delete(key);
      recovered.delete(key);
      removeQuietly(path);
    },
  };
}

/**
 * Whether this process's hold on `root` began by taking over the lock of a writer that died.
 * Only such a writer can have left temporary files behind (one that fails removes its own), so
 * only then must the next writer sweep the whole tree for them.
 */
export function tookOverFromDeadWriter(root: string): boolean {
  try {
    return recovered.has(realpathSync(root));
  } catch {
    return false;
  }
}

/** Runs `work` holding the lock on `root`; the lock is released however `work` ends. */
export async function withOutputLock<T>(root: string, work: (lock: OutputLock) => Promise<T> | T): Promise<T> {
  const lock = acquireOutputLock(root);
  try {
    return await work(lock);
  } finally {
    lock.release();
  }
}

/** Claims of processes killed between writing their claim and linking it (a tiny window, but kill -9 finds it). */
function removeDeadClaims(root: string): void {
  for (const name of readdirSync(root)) {
    const pid = name.startsWith(`${LOCK_FILE}.`) ? Number(name.slice(LOCK_FILE.length + 1)) : Number.NaN;
    if (Number.isInteger(pid) && pid > 0 && !isRunning(pid)) unlinkSync(join(root, name));
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone (or removed by hand): nothing to undo
  }
}

function tryLink(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cause;
  }
}

/** The pid in a lock whose process is gone on this host; undefined while its owner runs (or may). */
function staleOwner(path: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 0; // removed between our link and this read: free now
  }
  const [pidText, host] = text.trim().split(' ');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return 0; // unreadable: no writer could have made it
  if (host !== hostname()) return undefined; // another machine's process: cannot tell, never steal
  return isRunning(pid) && pid !== process.pid ? undefined : pid;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function locked(path: string): Problem {
  let owner = 'another process';
  try {
    owner = `process ${readFileSync(path, 'utf8').trim()}`;
  } catch {
    // gone meanwhile: the generic wording will do
  }
  return error(
    'output/locked',
    { field: LOCK_FILE },
    `${owner} is writing this output tree (lock ${path})`,
    `wait for it to finish and run the command again; if no synth is running there, delete ${path}`,
  );
}

function takenOver(path: string, pid: number): Problem {
  return warning(
    'output/stale-lock',
    { field: LOCK_FILE },
    `took over the lock ${path} left by process ${pid || '(unreadable)'}, which is no longer running (an interrupted synth)`,
    'nothing to do: this run finishes what the interrupted one left (old files replaced, stale files pruned, temporary files removed)',
  );
}
