import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { error, type Problem } from '../model/problem';
import { indexProblems, listOutputTree } from './output-index';
import { inScope, INDEX_FILE, readIndex } from './write-output';
import { GENERATED_MARKER } from './yaml';

/**
 * Drift: the committed output differs from what a fresh synth renders — someone forgot
 * `npm run synth`, or edited a generated file by hand. CI fails on it so Git always holds what
 * the model says. `scope` (directory prefixes) limits the stale-file check to a partial render.
 * Also what an interrupted or tampered run leaves: temporary files, generated files the index
 * does not list (pruning would never remove them), and index entries synth refuses.
 */
export function findDrift(root: string, files: ReadonlyMap<string, string>, scope?: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const fix = 'run `npm run synth` and commit the result (generated files are never edited by hand)';
  for (const [path, content] of files) {
    const target = join(root, path);
    if (!existsSync(target)) {
      problems.push(error('drift/missing', { field: path }, `${path} is not in the committed output`, fix));
    } else if (readFileSync(target, 'utf8') !== content) {
      problems.push(error('drift/changed', { field: path }, `${path} differs from a fresh render`, fix));
    }
  }
  // A render of some clusters only says what is stale under those clusters' directories.
  const index = readIndex(root);
  problems.push(...indexProblems(index));
  for (const path of index) {
    if (files.has(path) || !inScope(path, scope)) continue;
    const target = join(root, path);
    if (existsSync(target) && readFileSync(target, 'utf8').startsWith(GENERATED_MARKER)) {
      problems.push(error('drift/stale', { field: path }, `${path} is no longer generated but still committed`, fix));
    }
  }
  problems.push(...leftovers(root, files, new Set(index), scope));
  return problems;
}

/** Temporary files, and files with the generated marker that neither the render nor the index knows. */
function leftovers(root: string, files: ReadonlyMap<string, string>, index: ReadonlySet<string>, scope?: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const tree = listOutputTree(root);
  for (const path of tree.temporaries) {
    if (!inScope(path, scope)) continue;
    problems.push(error('drift/temporary-file', { field: path }, `${path} is a temporary file left by an interrupted synth`, 'run `npm run synth -- --full` (it removes them), then commit the result'));
  }
  const temporaries = new Set(tree.temporaries);
  for (const path of tree.files) {
    if (temporaries.has(path) || files.has(path) || index.has(path) || path === INDEX_FILE || !inScope(path, scope)) continue;
    if (!readFileSync(join(root, path), 'utf8').startsWith(GENERATED_MARKER)) continue;
    problems.push(
      error(
        'drift/orphan',
        { field: path },
        `${path} carries the generated marker but is not in ${INDEX_FILE}, so synth would never prune it`,
        'delete it if it is a stale generated file (`git rm`), or remove its first line if it is hand-made, then commit',
      ),
    );
  }
  return problems;
}
