import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parseYamlDocuments } from './yaml';

/**
 * `kubectl kustomize` output cached by the exact bytes of everything the build reads, and the
 * kubectl version that built it. Kustomize is deterministic, so equal inputs give equal output:
 * after a one-service change `npm run check` re-runs kustomize only for the Flux path that
 * contains it (the rest of a 500-service fleet was ~25 s of kubectl). A build whose inputs
 * cannot be enumerated exactly (remote resources, generators, plugins…) is never cached.
 */

/** Where cached builds live, like the unit cache: inside node_modules, never committed. */
export function kustomizeCacheDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'fleet-synth', 'kustomize');
}

/** Kustomization fields that name no file: safe to hash as they are. */
const INERT_FIELDS = new Set(['apiVersion', 'kind', 'metadata', 'namespace', 'namePrefix', 'nameSuffix', 'commonLabels', 'labels', 'commonAnnotations', 'images', 'replicas', 'buildMetadata', 'sortOptions']);
/** Fields that list files or directories the build reads. */
const PATH_LIST_FIELDS = ['resources', 'components', 'crds', 'patchesStrategicMerge'];

/**
 * A digest of every file the build of `dir` reads (paths relative to `root`, and contents), or
 * undefined when that set cannot be known exactly.
 */
export function buildInputDigest(root: string, dir: string): string | undefined {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  const ok = addKustomization(resolve(dir), resolve(root), hash, seen);
  return ok ? hash.digest('hex') : undefined;
}

function addKustomization(dir: string, root: string, hash: ReturnType<typeof createHash>, seen: Set<string>): boolean {
  if (seen.has(dir)) return true;
  seen.add(dir);
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((name) => join(dir, name)).find((f) => existsSync(f));
  if (!file) return false;
  const text = readFileSync(file, 'utf8');
  hash.update(`${relative(root, file)}\0${text}\0`);
  const [doc] = parseYamlDocuments(text) as Record<string, unknown>[];
  if (!doc) return true;
  for (const [field, value] of Object.entries(doc)) {
    if (INERT_FIELDS.has(field)) continue;
    if (PATH_LIST_FIELDS.includes(field)) {
      if (!Array.isArray(value) || !value.every((entry) => typeof entry === 'string' && addPath(join(dir, entry), root, hash, seen))) return false;
    } else if (field === 'patches' || field === 'patchesJson6902') {
      // Inline patches are in the kustomization's own bytes; file patches are hashed.
      if (!Array.isArray(value) || !value.every((patch) => typeof patch?.path !== 'string' || addPath(join(dir, patch.path), root, hash, seen))) return false;
    } else {
      return false; // generators, transformers, replacements, helmCharts…: inputs not enumerated here
    }
  }
  return true;
}

function addPath(path: string, root: string, hash: ReturnType<typeof createHash>, seen: Set<string>): boolean {
  if (/^[a-z]+:\/\//i.test(path) || !existsSync(path)) return false;
  if (statSync(path).isDirectory()) return addKustomization(resolve(path), root, hash, seen);
  if (seen.has(path)) return true;
  seen.add(path);
  hash.update(`${relative(root, path)}\0${readFileSync(path, 'utf8')}\0`);
  return true;
}

let kubectlVersion: string | undefined;

/** The kubectl (and kustomize) version, part of every cache key. */
function kubectl(): string {
  kubectlVersion ??= execFileSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  return kubectlVersion;
}

/** The cache key of a build: its input digest and the kubectl that builds it. */
export function buildKey(root: string, dir: string): string | undefined {
  const digest = buildInputDigest(root, dir);
  return digest && createHash('sha256').update(kubectl()).update(digest).digest('hex');
}

export function readCachedBuild(root: string, key: string): string | undefined {
  const file = join(kustomizeCacheDir(root), `${key}.yaml`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Stores a build atomically (temp file + rename), so a killed check never leaves half a file. */
export function writeCachedBuild(root: string, key: string, output: string): void {
  const file = join(kustomizeCacheDir(root), `${key}.yaml`);
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, output);
  renameSync(temp, file);
}

/** Deletes cached builds a complete check did not use, so the cache holds one fleet's builds. */
export function pruneCachedBuilds(root: string, used: ReadonlySet<string>): void {
  const dir = kustomizeCacheDir(root);
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    if (!used.has(name.replace(/\.yaml$/, ''))) rmSync(join(dir, name), { force: true });
  }
}
