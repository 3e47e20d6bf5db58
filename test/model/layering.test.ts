import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The layering the README draws: model → charts → render → validate → commands. `src/model` is
 * what users declare and is resolved once; it must not import any layer above it (charts,
 * render, validate, delivery, converge, commands, …) — a check that needs their state lives in
 * that layer. Only src/model itself and packages are allowed.
 */
const ROOT = path.resolve(__dirname, '../..');
const MODEL = path.join(ROOT, 'src/model');

/** Every module specifier a TypeScript file imports or re-exports (static, dynamic and require). */
export function moduleSpecifiers(source: string): string[] {
  const patterns = [/\bfrom\s+['"]([^'"]+)['"]/g, /\bimport\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]));
}

/** The project directories under src/ a model file reaches outside src/model, e.g. `src/delivery`. */
export function importsAboveModel(file: string, source: string): string[] {
  return moduleSpecifiers(source)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => path.resolve(path.dirname(file), specifier))
    .filter((target) => target !== MODEL && !target.startsWith(`${MODEL}${path.sep}`))
    .map((target) => path.relative(ROOT, target).split(path.sep).slice(0, 2).join('/'));
}

function modelFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return modelFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('src/model imports nothing above it', () => {
  test('no file of src/model imports charts, render, validate, delivery, converge, commands or any other src/ layer', () => {
    const files = modelFiles(MODEL);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((file) => importsAboveModel(file, fs.readFileSync(file, 'utf8')).map((layer) => `${path.relative(ROOT, file)} → ${layer}`));
    expect(offenders).toEqual([]);
  });

  test('the check sees every way of importing (it would have caught check-model.ts → src/delivery)', () => {
    // GIVEN a model file importing upward in each form TypeScript allows
    const file = path.join(MODEL, 'check-model.ts');
    const source = [
      "import { checkFleetDelivery } from '../delivery/check-delivery';",
      "import type { KubeObject } from '../render/synthesize';",
      "export { x } from '../validate/index';",
      "import '../converge/side-effect';",
      "const charts = require('../charts/labels');",
      "const later = import('../commands/synth');",
      "import { error } from './problem';",
      "import { parse } from 'yaml';",
    ].join('\n');
    // WHEN checked / THEN every upward import is named, and model-internal and package imports are not
    expect(importsAboveModel(file, source).sort()).toEqual(['src/charts', 'src/commands', 'src/converge', 'src/delivery', 'src/render', 'src/validate']);
  });
});
