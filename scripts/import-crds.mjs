#!/usr/bin/env node
// `npm run import [-- --output <dir>]`: regenerates imports/ (typed constructs for the custom
// resources the generator emits) from the upstream CRD URLs listed once each in cdk8s.yaml,
// offline. The result is byte-identical to the committed imports/ (test/docs/import-crds.test.ts).
//
// Why not plain `cdk8s import`: it downloads each URL, and CI machines here reach only the npm
// registry. The upstream CRD files are kept outside the project in the CRD directory
// ($FLEET_CRD_DIR, default ../shared/crds — the directory validation reads), so each URL is
// resolved to its local copy by file name. Two upstream files are stored under another name or
// split; ALIASES maps them.
//
// Every file goes through `kubectl kustomize` (Go YAML) before `cdk8s import`: Flagger's
// crd.yaml is not valid YAML 1.2 (continuation lines of single-quoted strings are not indented),
// which the JS YAML parser inside `cdk8s import` rejects (see ../shared/crds/README.md, "Known
// issue"); re-serialising every file the same way keeps the generated code uniform.
//
// `cdk8s import` runs with --no-save: by default it appends each import spec to cdk8s.yaml, which
// is how temp-directory paths once ended up there.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '..');
const ALIASES = {
  'rollout-crd.yaml': ['argoproj.io_rollouts.yaml'],
  'crd.yaml': ['flagger.app_canaries.yaml', 'flagger.app_metrictemplates.yaml', 'flagger.app_alertproviders.yaml'],
};

function fail(message) {
  process.stderr.write(`import: ${message}\n`);
  process.exit(1);
}

function outputDirectory(argv) {
  const i = argv.indexOf('--output');
  if (i === -1) return join(root, 'imports');
  if (!argv[i + 1]) fail('--output needs a directory');
  return resolve(argv[i + 1]);
}

function crdDirectory(env) {
  // CRDS_DIR is the name this script used before it shared FLEET_CRD_DIR with validation.
  return resolve(root, env.FLEET_CRD_DIR || env.CRDS_DIR || '../shared/crds');
}

/** Runs a command; resolves with its exit status and combined output (cdk8s prints to both). */
function execute(command, args, cwd) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => resolvePromise({ status, output }));
  });
}

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The imports of cdk8s.yaml as { name, url }, refusing duplicates and non-URL specs. */
function readImports(config) {
  const seen = new Set();
  return (config.imports ?? []).map((spec) => {
    const [name, url] = String(spec).split(':=');
    if (!url) fail(`cdk8s.yaml: "${spec}" is not <name>:=<upstream URL>`);
    if (!/^https:\/\//.test(url)) fail(`cdk8s.yaml: ${name} points at ${url}; list the upstream release URL, not a local file`);
    if (seen.has(name)) fail(`cdk8s.yaml lists ${name} twice; keep one entry per import`);
    seen.add(name);
    return { name, url };
  });
}

const output = outputDirectory(process.argv.slice(2));
const crdsDir = crdDirectory(process.env);
if (!existsSync(crdsDir)) fail(`the CRD directory ${crdsDir} does not exist; point FLEET_CRD_DIR at the upstream CRD files`);
const localFiles = new Map(listFiles(crdsDir).map((path) => [basename(path), path]));
const imports = readImports(yaml.load(readFileSync(join(root, 'cdk8s.yaml'), 'utf8')));
const cdk8s = join(root, 'node_modules/.bin/cdk8s');

const work = mkdtempSync(join(tmpdir(), 'crd-import-'));
try {
  const specs = imports.map(({ name, url }) => {
    const wanted = ALIASES[basename(url)] ?? [basename(url)];
    const paths = wanted.map((file) => localFiles.get(file) ?? fail(`${name}: no local copy of ${file} under ${crdsDir} (set FLEET_CRD_DIR)`));
    const dir = join(work, 'kustomize', name);
    mkdirSync(dir, { recursive: true });
    const names = paths.map((path, i) => {
      const file = `${i}-${basename(path)}`;
      writeFileSync(join(dir, file), readFileSync(path));
      return file;
    });
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${names.map((n) => `- ${n}`).join('\n')}\n`);
    const normalised = join(work, `${name}.yaml`);
    writeFileSync(normalised, execFileSync('kubectl', ['kustomize', dir]));
    process.stdout.write(`${name}: ${paths.map((p) => basename(p)).join(', ')}\n`);
    return `${name}:=${normalised}`;
  });
  // `cdk8s import` takes one spec per run. Two runs at a time (it is mostly process start-up),
  // into a scratch directory first, so a failure leaves the output as it was.
  const generated = join(work, 'out');
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++];
      const run = await execute(cdk8s, ['import', spec, '--language', 'typescript', '--output', generated, '--no-save', '--no-check-upgrade'], work);
      if (run.status !== 0) fail(`cdk8s import ${spec} failed:\n${run.output}`);
    }
  };
  await Promise.all([worker(), worker()]);
  mkdirSync(output, { recursive: true });
  const files = readdirSync(generated).filter((file) => file.endsWith('.ts')).sort();
  for (const file of files) writeFileSync(join(output, file), readFileSync(join(generated, file)));
  // Generated files of imports no longer listed go too; hand-written files (README.md) stay.
  for (const file of readdirSync(output)) if (file.endsWith('.ts') && !files.includes(file)) rmSync(join(output, file));
  process.stdout.write(`imported ${imports.length} CRD sets into ${files.length} files in ${output}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
