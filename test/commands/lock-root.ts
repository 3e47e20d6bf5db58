import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RELEASE_LOCK_FILE } from '../../src/model/release-lock-types';
import { tempDir } from '../support/render-to-dir';

const PROJECT = join(__dirname, '../..');
const roots: string[] = [];

/** Deletes every scratch root made by lockRoot (call in afterAll). */
export function removeLockRoots(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}

/**
 * A scratch project root: the sample release lock, the secret sources and keys' public halves, the chart directories
 * synth needs, and the committed output (clusters/, dist/) whose sealed secrets synth reuses.
 */
export function lockRoot(options: { output?: boolean } = {}): string {
  // Validation finds CRDs next to the project root; a scratch root in /tmp has none.
  process.env.FLEET_CRD_DIR ??= join(PROJECT, '..', 'shared', 'crds');
  // The sample's TEST-ONLY age identities (secrets/keys, committed for tests): a scratch root
  // may need secrets sealed anew when the committed output predates a secret source.
  process.env.SOPS_AGE_KEY ??= sampleAgeIdentities();
  const root = tempDir('fleet-release-');
  roots.push(root);
  mkdirSync(dirname(join(root, RELEASE_LOCK_FILE)), { recursive: true });
  // helm/: chart directories of the sample's Helm apps (synth refuses a missing one).
  const copies = [RELEASE_LOCK_FILE, 'secrets', '.sops.yaml', 'helm', ...(options.output === false ? [] : ['clusters', 'dist'])];
  for (const path of copies) if (existsSync(join(PROJECT, path))) cpSync(join(PROJECT, path), join(root, path), { recursive: true });
  return root;
}

function sampleAgeIdentities(): string {
  const dir = join(PROJECT, 'secrets', 'keys');
  if (!existsSync(dir)) return '';
  return readdirSync(dir)
    .filter((file) => file.endsWith('.agekey'))
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n');
}

/** Every file under root with its content, to prove a failed command wrote nothing. */
export function treeSnapshot(root: string): string[] {
  return filesUnder(root, '.').map((path) => `${path}\n${readFileSync(join(root, path), 'utf8')}`);
}

export function lockText(root: string): string {
  return readFileSync(join(root, RELEASE_LOCK_FILE), 'utf8');
}

/** Files under a directory, relative, sorted; empty when it does not exist. */
export function filesUnder(root: string, dir: string): string[] {
  const path = join(root, dir);
  if (!existsSync(path)) return [];
  return readdirSync(path, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}

/** Lines of `after` that differ from `before` (same number of lines expected). */
export function changedLines(before: string, after: string): string[] {
  const old = before.split('\n');
  return after.split('\n').filter((line, i) => line !== old[i]);
}

/** Files under `dir` whose text contains `needle` (layout-independent output checks). */
export function filesContaining(root: string, dir: string, needle: string): string[] {
  return filesUnder(root, dir).filter((path) => readFileSync(join(root, path), 'utf8').includes(needle));
}
