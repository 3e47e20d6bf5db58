#!/usr/bin/env node
// Bundles commands from src/commands into build/commands/<name>.js with esbuild: no
// type-checking on the synth path (`npm run typecheck` does that once), one file per command
// so Node resolves no modules at start-up, and ESM-only dependencies (age-encryption) become
// loadable from CommonJS.
//
// `node scripts/build.mjs [command…]` builds only those commands, and only when a source file
// (src/, imports/, package-lock.json) is newer than the bundle: `npm run synth` then costs the
// render, not a rebuild.
//
// Before that, the model check (scripts/model-check.mjs): the fleet definition is type-checked
// and the model's runtime schema derived from its types — only when one of their inputs changed.
// A type error stops here with the compiler's message.
import { build } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureModelCheck } from './model-check.mjs';

const root = resolve(import.meta.dirname, '..');

const requested = process.argv.slice(2);
const commands = readdirSync(join(root, 'src/commands'))
  .filter((file) => file.endsWith('.ts'))
  .filter((file) => requested.length === 0 || requested.includes(file.replace(/\.ts$/, '')));

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const sources = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'imports')), statSync(join(root, 'package-lock.json')).mtimeMs, statSync(import.meta.filename).mtimeMs);
const stale = commands.filter((file) => {
  const bundle = join(root, 'build/commands', file.replace(/\.ts$/, '.js'));
  return !existsSync(bundle) || statSync(bundle).mtimeMs < sources;
});

// The first run (and the first after a source change) bundles before the command starts: say so on
// a terminal, stay quiet in CI and pipes (the rule of src/commands/lib/progress.ts).
const ci = (process.env.CI ?? '').trim().toLowerCase();
const showProgress = process.stderr.isTTY === true && !(ci !== '' && ci !== 'false' && ci !== '0');

// esbuild bundles in its own process while the model check runs here: an edited fleet
// definition costs the longer of the two, not their sum.
if (stale.length > 0 && showProgress) process.stderr.write(`\r\u001b[2Kbundling ${stale.map((file) => file.replace(/\.ts$/, '')).join(', ')} with esbuild (first run, or sources changed)…`);
const bundling =
  stale.length > 0
    ? build({
        entryPoints: stale.map((file) => join(root, 'src/commands', file)),
        outdir: join(root, 'build/commands'),
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        sourcemap: 'linked',
        logLevel: 'warning',
      })
    : Promise.resolve();
const typeErrors = await ensureModelCheck(root);
await bundling;
if (stale.length > 0 && showProgress) process.stderr.write('\r\u001b[2K');
if (typeErrors.length > 0) {
  for (const line of typeErrors) process.stderr.write(`${line}\n`);
  process.stderr.write(`model check: ${typeErrors.length} type error${typeErrors.length === 1 ? '' : 's'} in the fleet definition\n`);
  process.exit(1);
}
