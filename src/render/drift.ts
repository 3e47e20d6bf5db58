import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { error, type Problem } from '../model/problem';
import { inScope, readIndex } from './write-output';
import { GENERATED_MARKER } from './yaml';

/**
 * Drift: the committed output differs from what a fresh synth renders — someone forgot
 * `npm run synth`, or edited a generated file by hand. CI fails on it so Git always holds what
 * the model says. `scope` (directory prefixes) limits the stale-file check to a partial render.
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
  for (const path of readIndex(root)) {
    if (files.has(path) || !inScope(path, scope)) continue;
    const target = join(root, path);
    if (existsSync(target) && readFileSync(target, 'utf8').startsWith(GENERATED_MARKER)) {
      problems.push(error('drift/stale', { field: path }, `${path} is no longer generated but still committed`, fix));
    }
  }
  return problems;
}
