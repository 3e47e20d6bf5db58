import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { error, type Problem } from '../../model/problem';

/**
 * An unexpected throw as one problem that names the user's own file and line. Commands run as
 * esbuild bundles (build/commands/<name>.js), so a raw stack says `build/commands/synth.js:43508`;
 * each frame is mapped back through the bundle's source map (written next to it by
 * scripts/build.mjs) to the TypeScript it came from. The map is read only when something threw,
 * so the normal path pays nothing (unlike running Node with --enable-source-maps).
 */

export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Maps a generated position (1-based line and column) to the source it came from. */
export type PositionMapper = (position: SourcePosition) => SourcePosition;

export function crashProblem(cause: unknown, mapPosition: PositionMapper = mapThroughSourceMap, cwd = process.cwd()): Problem {
  const message = cause instanceof Error ? `${cause.name}: ${cause.message.split('\n')[0]}` : `thrown value ${String(cause)}`;
  const frames = cause instanceof Error ? stackPositions(cause.stack ?? '').map(mapPosition) : [];
  const ours = frames.filter((frame) => !frame.file.includes('node_modules') && !frame.file.startsWith('node:'));
  const frame = ours.find((f) => /(^|\/)src\/environments\//.test(f.file)) ?? ours[0];
  if (frame === undefined) {
    return error('cli/unexpected-error', {}, message, 'run it again with `node --enable-source-maps build/commands/<command>.js` for the full stack, and report it if it persists');
  }
  const where = `${displayPath(frame.file, cwd)}:${frame.line}:${frame.column}`;
  const inModel = /(^|\/)src\/environments\//.test(frame.file);
  return error(
    inModel ? 'model/definition-threw' : 'cli/unexpected-error',
    { definition: where },
    `${where} threw ${message}`,
    inModel
      ? 'fix the code at that line of the environment file (it runs when the model is loaded)'
      : 'if your change caused it, fix that line; otherwise report it with the full stack from `node --enable-source-maps build/commands/<command>.js`',
  );
}

/** `at fn (file:line:col)` and `at file:line:col` frames of a V8 stack, top first. */
export function stackPositions(stack: string): SourcePosition[] {
  const positions: SourcePosition[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:.*?\()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    if (match) positions.push({ file: match[1].replace(/^file:\/\//, ''), line: Number(match[2]), column: Number(match[3]) });
  }
  return positions;
}

const maps = new Map<string, SourceMap | undefined>();

/** The position in the original source, via `<file>.map`; unchanged when there is no map. */
export function mapThroughSourceMap(position: SourcePosition): SourcePosition {
  if (!maps.has(position.file)) maps.set(position.file, loadMap(position.file));
  const map = maps.get(position.file);
  if (!map) return position;
  const entry = map.findEntry(position.line - 1, position.column - 1) as Partial<{ originalSource: string; originalLine: number; originalColumn: number }>;
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) return position;
  return { file: resolve(dirname(position.file), entry.originalSource), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

function loadMap(file: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
  } catch {
    return undefined;
  }
}

function displayPath(file: string, cwd: string): string {
  const inside = relative(cwd, file);
  return inside.startsWith('..') ? file : inside;
}
