#!/usr/bin/env node
// `npm run docs`: writes docs/model-reference.md from the types in src/model (their JSDoc and
// `@default` tags), docs/samples.md from its template (source-line links re-pointed), then the
// per-cluster bootstrap guide docs/bootstrap/ from the model and its render (src/commands/docs.ts,
// bundled like every command). `--check` only compares and exits 1
// when a page is stale.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { renderModelReference } = require('./lib/model-reference.js');
const { resolveSourceLinks } = require('./lib/source-links.js');

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  // The usage is the bootstrap command's (src/commands/docs.ts), which knows every flag.
  process.exit(runBootstrapGuide(args));
}
const page = join(root, 'docs/model-reference.md');
const text = renderModelReference(join(root, 'src/model'));
let status = 0;
if (args.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(page, 'utf8');
  } catch {}
  if (current !== text) {
    process.stderr.write('docs/model-reference.md is stale: run `npm run docs`\n');
    status = 1;
  }
} else {
  writeFileSync(page, text);
  process.stdout.write('wrote docs/model-reference.md\n');
}
status = writeSamplesPage(args.includes('--check')) || status;
process.exit(runBootstrapGuide(args) || status);

/** docs/samples.md from its template, each `@@file|text@@` a link to the line holding that text. */
function writeSamplesPage(check) {
  const page = join(root, 'docs/samples.md');
  const { text, unresolved } = resolveSourceLinks(root, readFileSync(join(root, 'docs/samples.md.tmpl'), 'utf8'));
  if (unresolved.length > 0) {
    process.stderr.write(`docs/samples.md.tmpl links to text no longer in its file (edit the template):\n${unresolved.map((u) => `  ${u}\n`).join('')}`);
    return 1;
  }
  let current = '';
  try {
    current = readFileSync(page, 'utf8');
  } catch {}
  if (current === text) return 0;
  if (check) {
    process.stderr.write('docs/samples.md is stale: run `npm run docs`\n');
    return 1;
  }
  writeFileSync(page, text);
  process.stdout.write('wrote docs/samples.md\n');
  return 0;
}

/** Bundles (when stale) and runs src/commands/docs.ts with these arguments; its exit status. */
function runBootstrapGuide(argv) {
  const run = (command) => spawnSync(process.execPath, command, { cwd: root, stdio: 'inherit' }).status ?? 1;
  return run([join(root, 'scripts/build.mjs'), 'docs']) || run([join(root, 'build/commands/docs.js'), ...argv]);
}
