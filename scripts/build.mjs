#!/usr/bin/env node
// Bundles commands from src/commands into build/commands/<name>.js with esbuild: no
// type-checking on the synth path (`npm run typecheck` does that once), one file per command
// so Node resolves no modules at start-up, and ESM-only dependencies (age-encryption) become
// loadable from CommonJS.
//
// `node scripts/build.mjs [command…]` builds only those commands, and only when the bundle was
// not built from exactly the current sources: a hash of the contents of src/, imports/,
// package-lock.json and this script is stored next to each bundle (<name>.js.inputs). Contents,
// not modification times: a file restored with its old mtime (`cp -p`, `git stash`, `tar`)
// still rebuilds, so synth never runs a stale model. Hashing ~2 MB takes a few milliseconds;
// esbuild is loaded only when something must be rebuilt.
//
// A build error (a syntax error in an environment file) prints one problem line per error —
// file:line:column, message, fix — and exits 1, without a stack trace.
//
// Beside the bundling, the model check (scripts/model-check.mjs): the fleet definition is
// type-checked and the model's runtime schema derived from its types — only when one of their
// inputs changed. A type error stops here with the compiler's message.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensureModelCheck } from './model-check.mjs';

const root = resolve(import.meta.dirname, '..');
const outdir = join(root, 'build/commands');
const requested = process.argv.slice(2);
const commands = readdirSync(join(root, 'src/commands'))
  .filter((file) => file.endsWith('.ts'))
  .filter((file) => requested.length === 0 || requested.includes(file.replace(/\.ts$/, '')));

/**
 * Every file under `dir` that esbuild can bundle (code and JSON), sorted, as paths relative to
 * the project root. Data read at run time (src/environments/releases.yaml, README.md files)
 * does not make a new bundle: `npm run release` edits the lock without a rebuild.
 */
function filesUnder(dir) {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.([cm]?[jt]s|json)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split('\\').join('/'))
    .sort();
}

function inputsHash() {
  const hash = createHash('sha256');
  for (const path of [...filesUnder('src'), ...filesUnder('imports'), 'package-lock.json', relative(root, import.meta.filename)]) {
    // The path and the length delimit each file, so moving bytes between files changes the hash.
    const content = readFileSync(join(root, path));
    hash.update(`${path}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

function readOr(path, fallback) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

const inputs = inputsHash();
const stampOf = (file) => join(outdir, `${file.replace(/\.ts$/, '.js')}.inputs`);
const stale = commands.filter((file) => readOr(stampOf(file), '') !== inputs || readOr(join(outdir, file.replace(/\.ts$/, '.js')), '') === '');

// The first run (and the first after a source change) bundles before the command starts: say so on
// a terminal, stay quiet in CI and pipes (the rule of src/commands/lib/progress.ts).
const ci = (process.env.CI ?? '').trim().toLowerCase();
const showProgress = process.stderr.isTTY === true && !(ci !== '' && ci !== 'false' && ci !== '0');

/** Bundles the stale commands; false when esbuild reported errors (already printed). */
async function bundle() {
  if (stale.length === 0) return true;
  const { build } = await import('esbuild');
  if (showProgress) process.stderr.write(`\r\u001b[2Kbundling ${stale.map((file) => file.replace(/\.ts$/, '')).join(', ')} with esbuild (first run, or sources changed)…`);
  try {
    await build({
      entryPoints: stale.map((file) => join(root, 'src/commands', file)),
      outdir,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: 'linked',
      logLevel: 'silent',
    });
  } catch (failure) {
    if (showProgress) process.stderr.write('\r\u001b[2K');
    printBuildErrors(failure);
    return false;
  }
  if (showProgress) process.stderr.write('\r\u001b[2K');
  // The stamp is written only after the bundle: a build killed half-way is rebuilt next time.
  mkdirSync(outdir, { recursive: true });
  for (const file of stale) {
    writeFileSync(`${stampOf(file)}.tmp`, inputs);
    renameSync(`${stampOf(file)}.tmp`, stampOf(file));
  }
  return true;
}

// esbuild bundles in its own process while the model check runs here: an edited fleet
// definition costs the longer of the two, not their sum.
const bundling = bundle();
const typeErrors = await ensureModelCheck(root).catch((failure) => {
  // A model check that cannot run at all (a missing tsconfig.json, an unreadable file) is one
  // problem line, like every other failure of a command: never a stack trace.
  const where = failure?.path ? ` definition=${relative(root, failure.path)}` : '';
  process.stderr.write(`error [model/check-failed]${where}: the model check could not run: ${failure?.message ?? failure}\n`);
  process.stderr.write('  fix: restore the file it names (git checkout -- <file>), then run the command again\n');
  process.exit(1);
});
if (!(await bundling)) process.exit(1);
if (typeErrors.length > 0) {
  for (const line of typeErrors) process.stderr.write(`${line}\n`);
  process.stderr.write(`model check: ${typeErrors.length} type error${typeErrors.length === 1 ? '' : 's'} in the fleet definition\n`);
  process.exit(1);
}

function printBuildErrors(failure) {
  const errors = Array.isArray(failure?.errors) && failure.errors.length > 0 ? failure.errors : [{ text: String(failure?.message ?? failure) }];
  for (const { text, location } of errors) {
    const where = location ? ` definition=${location.file}:${location.line}:${location.column + 1}` : '';
    process.stderr.write(`error [build/syntax]${where}: ${text}\n`);
    if (location?.lineText) process.stderr.write(`  ${location.line} | ${location.lineText.trimEnd()}\n`);
    process.stderr.write('  fix: correct the TypeScript at that line (`npm run typecheck` also lists type errors), then run the command again\n');
  }
}
