import { relative } from 'node:path';
import { error, type Problem } from '../model/problem';

/**
 * A file-system failure (ENOSPC, EXDEV, ENOTDIR, …) as a Problem naming the file and the fix,
 * instead of a Node stack trace. `root` makes the path relative to the output root when it is
 * inside it.
 */
export function fsProblem(cause: unknown, root?: string): Problem | undefined {
  // Duck-typed: errors from Node's core are not `instanceof Error` inside jest's sandbox.
  const errno = cause as NodeJS.ErrnoException;
  if (typeof cause !== 'object' || cause === null || typeof errno.code !== 'string' || typeof errno.syscall !== 'string') return undefined;
  const path = errno.path === undefined ? undefined : displayPath(errno.path, root);
  const place = path === undefined ? {} : { field: path };
  const where = path === undefined ? '' : ` ${path}`;
  const explained = EXPLAINED[errno.code];
  if (explained) return error(`output/${explained.code}`, place, `cannot ${errno.syscall}${where}: ${explained.message}`, explained.fix);
  return error('output/io-failed', place, `cannot ${errno.syscall}${where}: ${errno.code}`, 'fix the cause named by the error code and run the command again; files not yet replaced keep their previous content');
}

const EXPLAINED: Record<string, { code: string; message: string; fix: string }> = {
  ENOSPC: { code: 'no-space', message: 'no space left on the device', fix: 'free disk space and run the command again; no file was half-written' },
  EDQUOT: { code: 'no-space', message: 'disk quota exceeded', fix: 'free space within your quota and run the command again; no file was half-written' },
  EXDEV: {
    code: 'cross-device',
    message: 'the file and its temporary copy are on different file systems (a mount inside the output tree)',
    fix: 'do not mount another file system inside dist/ or clusters/; the output must be one file system so each file is replaced atomically',
  },
  ENOTDIR: { code: 'not-a-directory', message: 'a file is in the way where a directory is needed', fix: 'move or delete that file (synth needs a directory of that name) and run the command again' },
  EEXIST: { code: 'not-a-directory', message: 'a file of that name is in the way where a directory is needed', fix: 'move or delete that file (synth needs a directory of that name) and run the command again' },
  EISDIR: { code: 'is-a-directory', message: 'a directory is in the way where a file is written', fix: 'move or delete that directory and run the command again' },
  EACCES: { code: 'permission-denied', message: 'permission denied', fix: 'make the output tree writable by you (or run as its owner) and run the command again' },
  EPERM: { code: 'permission-denied', message: 'operation not permitted', fix: 'make the output tree writable by you (or run as its owner) and run the command again' },
  EROFS: { code: 'read-only', message: 'the file system is read-only', fix: 'render into a writable checkout (or --out <dir>)' },
  EIO: { code: 'io-error', message: 'an I/O error from the device', fix: 'check the disk, then run the command again; files not yet replaced keep their previous content' },
  EMFILE: { code: 'too-many-files', message: 'too many open files', fix: 'raise the open-file limit (ulimit -n) and run the command again' },
};

function displayPath(path: string, root: string | undefined): string {
  if (root === undefined) return path;
  const inside = relative(root, path);
  return inside.startsWith('..') || inside === '' ? path : inside;
}
