import { lstatSync, realpathSync } from 'node:fs';
import { dirname, join, posix, relative, sep } from 'node:path';
import { error, type Problem } from '../model/problem';
import { CLUSTERS_DIR, DIST_DIR } from './layout';

/**
 * What synth may touch: files under `dist/` and `clusters/` of the output root, never inside a
 * `flux-system/` directory (`flux bootstrap` owns those), and never through a symbolic link that
 * leads anywhere else. Everything the writer creates, overwrites or prunes passes through here
 * first, so a hand-edited index or a planted symlink cannot make synth touch a file outside the
 * repository.
 */
export const OUTPUT_ROOTS = [DIST_DIR, CLUSTERS_DIR] as const;
export const FLUX_SYSTEM_DIR = 'flux-system';

/**
 * Why an index entry (a path relative to the output root) is not one synth could have written,
 * or undefined when it is fine: relative, normalised (no `.`, `..`, empty segments or
 * backslashes), under `dist/` or `clusters/`, and not inside a `flux-system/` directory.
 */
export function outsideOutputReason(path: string): string | undefined {
  if (path.length === 0) return 'it is empty';
  if (path.includes('\0')) return 'it contains a NUL byte';
  if (path.includes('\\')) return 'it contains a backslash (paths in the index use /)';
  if (posix.isAbsolute(path) || /^[A-Za-z]:/.test(path)) return 'it is absolute';
  const segments = path.split('/');
  if (segments.some((segment) => segment === '..')) return 'it climbs out with ".."';
  if (posix.normalize(path) !== path || segments.some((segment) => segment === '' || segment === '.')) return 'it is not normalised';
  if (!(OUTPUT_ROOTS as readonly string[]).includes(segments[0]) || segments.length < 2) return `it is not inside ${DIST_DIR}/ or ${CLUSTERS_DIR}/`;
  if (segments.includes(FLUX_SYSTEM_DIR)) return `it is inside a ${FLUX_SYSTEM_DIR}/ directory, which flux bootstrap owns`;
  return undefined;
}

/**
 * Decides, once per directory, whether writing or deleting under it stays inside the output
 * roots once symbolic links are resolved. A link whose target is still inside `dist/` or
 * `clusters/` (and not in `flux-system/`) is followed like the directory it names; any other
 * link is refused. Refusing (rather than replacing the link with a directory) is deliberate:
 * synth never creates links, so one in the output was put there by someone, and deleting it
 * would silently drop their intent; the refusal names the path and leaves the decision to them.
 */
export class OutputContainment {
  private readonly realRoot: string;
  private readonly directories = new Map<string, string | undefined>();

  constructor(private readonly root: string) {
    this.realRoot = realpathSync(root);
  }

  /** The problem with touching `path` (relative to the root), or undefined when it is contained. */
  problemWith(path: string, action: 'write' | 'prune'): Problem | undefined {
    const reason = outsideOutputReason(path) ?? this.directoryReason(dirname(path)) ?? this.fileReason(path);
    return reason === undefined ? undefined : refused(path, action, reason);
  }

  private directoryReason(dir: string): string | undefined {
    if (!this.directories.has(dir)) this.directories.set(dir, this.resolveDirectory(dir));
    return this.directories.get(dir);
  }

  /** A directory is fine when its nearest existing ancestor resolves to where it says, or into the roots. */
  private resolveDirectory(dir: string): string | undefined {
    if (dir === '.' || dir === '') return undefined;
    const stats = lstatOrUndefined(join(this.root, dir));
    if (stats === undefined) return this.directoryReason(dirname(dir));
    if (!stats.isSymbolicLink() && !stats.isDirectory()) return undefined; // ENOTDIR is reported by the write itself
    if (!stats.isSymbolicLink()) return this.directoryReason(dirname(dir));
    return this.linkReason(dir);
  }

  private fileReason(path: string): string | undefined {
    const stats = lstatOrUndefined(join(this.root, path));
    return stats?.isSymbolicLink() ? this.linkReason(path) : undefined;
  }

  private linkReason(path: string): string | undefined {
    let target: string;
    try {
      target = realpathSync(join(this.root, path));
    } catch {
      return `${path} is a symbolic link whose target does not exist`;
    }
    const inside = relative(this.realRoot, target).split(sep).join('/');
    return outsideOutputReason(inside) === undefined ? undefined : `${path} is a symbolic link to ${target}, outside ${DIST_DIR}/ and ${CLUSTERS_DIR}/`;
  }
}

/** Stats without following a final link; undefined when absent or under a file (ENOTDIR: the write reports it). */
function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw cause;
  }
}

function refused(path: string, action: 'write' | 'prune', reason: string): Problem {
  const verb = action === 'write' ? 'write' : 'delete';
  return error(
    'output/outside-output',
    { field: path },
    `synth refuses to ${verb} ${path}: ${reason}`,
    action === 'prune'
      ? `remove the line from ${DIST_DIR}/.generated-files (synth lists only files it wrote there) and any symbolic link on the path, then run \`npm run synth\``
      : `replace the symbolic link on this path with a real directory inside ${DIST_DIR}/ or ${CLUSTERS_DIR}/ (synth never follows links out of its output), then run \`npm run synth\``,
  );
}
