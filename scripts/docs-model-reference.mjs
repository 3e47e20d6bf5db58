#!/usr/bin/env node
// `npm run docs`: writes docs/model-reference.md from the types in src/model (their JSDoc and
// `@default` tags). `--check` only compares and exits 1 when the page is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const { renderModelReference } = require('./lib/model-reference.js');

const root = resolve(import.meta.dirname, '..');
const page = join(root, 'docs/model-reference.md');
const text = renderModelReference(join(root, 'src/model'));
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(page, 'utf8');
  } catch {}
  if (current !== text) {
    process.stderr.write('docs/model-reference.md is stale: run `npm run docs`\n');
    process.exit(1);
  }
} else {
  writeFileSync(page, text);
  process.stdout.write('wrote docs/model-reference.md\n');
}
