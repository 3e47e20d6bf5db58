#!/usr/bin/env node
// Regenerates imports/ from the CRD URLs listed in cdk8s.yaml, offline.
//
// Why not plain `cdk8s import`: it downloads each URL, and CI machines here reach only the npm
// registry. The upstream CRD files are kept outside the project (CRDS_DIR, default
// ../shared/crds), so each URL is resolved to a local copy by its file name. Two upstream files
// are stored under another name or split; ALIASES maps them.
//
// Flagger's crd.yaml is not valid YAML 1.2 (continuation lines of single-quoted strings are not
// indented), which the JS YAML parser inside `cdk8s import` rejects; `kubectl kustomize`
// (Go YAML) re-serialises it into valid YAML first.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as yaml from 'js-yaml';

const root = resolve(import.meta.dirname, '..');
const crdsDir = resolve(root, process.env.CRDS_DIR ?? '../shared/crds');
const ALIASES = {
  'rollout-crd.yaml': ['argoproj.io_rollouts.yaml'],
  'crd.yaml': ['flagger.app_canaries.yaml', 'flagger.app_metrictemplates.yaml', 'flagger.app_alertproviders.yaml'],
};

function listFiles(dir) {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

const localFiles = new Map(listFiles(crdsDir).map((path) => [basename(path), path]));
const config = yaml.load(readFileSync(join(root, 'cdk8s.yaml'), 'utf8'));
const work = mkdtempSync(join(tmpdir(), 'crd-import-'));
try {
  for (const spec of config.imports) {
    const [name, url] = spec.split(':=');
    const wanted = ALIASES[basename(url)] ?? [basename(url)];
    const paths = wanted.map((file) => {
      const path = localFiles.get(file);
      if (!path) throw new Error(`${name}: no local copy of ${file} under ${crdsDir} (set CRDS_DIR)`);
      return path;
    });
    const dir = join(work, name);
    execFileSync('mkdir', ['-p', dir]);
    const names = paths.map((path, i) => {
      const file = `${i}-${basename(path)}`;
      writeFileSync(join(dir, file), readFileSync(path));
      return file;
    });
    writeFileSync(join(dir, 'kustomization.yaml'), `resources:\n${names.map((n) => `- ${n}`).join('\n')}\n`);
    const normalised = join(work, `${name}.yaml`);
    writeFileSync(normalised, execFileSync('kubectl', ['kustomize', dir]));
    // cdk8s-cli prints a failed update check on an offline machine; show its output only on failure.
    const run = spawnSync('npx', ['cdk8s', 'import', `${name}:=${normalised}`, '--language', 'typescript', '--output', 'imports'], {
      cwd: root,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`cdk8s import ${name} failed:\n${run.stdout}${run.stderr}`);
    console.log(`imported ${name} from ${paths.map((p) => basename(p)).join(', ')}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
