import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** path (relative to the root) → content, of every regular file under the root. */
export type Tree = Record<string, string>;

/**
 * Every file under `root` — by default only the output roots dist/ and clusters/, with '.'
 * everything (the lock file and unit cache included) — as path → content, sorted by path.
 */
export function treeOf(root: string, under: 'output' | '.' = 'output'): Tree {
  const tops = under === '.' ? ['.'] : ['dist', 'clusters'];
  const tree: Tree = {};
  for (const top of tops) {
    let entries;
    try {
      entries = readdirSync(join(root, top), { recursive: true, withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const absolute = join(entry.parentPath, entry.name);
      tree[relative(root, absolute)] = readFileSync(absolute, 'utf8');
    }
  }
  return Object.fromEntries(Object.entries(tree).sort(([a], [b]) => a.localeCompare(b)));
}
