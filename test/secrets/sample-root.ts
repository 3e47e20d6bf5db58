// A throw-away project root holding a copy of the sample secrets (sources, TEST-ONLY keys,
// certificates) and .sops.yaml, so tests can edit sources and render without touching the repo.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join, relative } from 'path';
import { parse } from 'yaml';
import { decryptSops } from '../../src/secrets/sops';
import { REPO, sampleIdentities } from './fixtures';

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;

export function sampleRoot(prefix = 'fleet-secrets-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(REPO, 'secrets'), join(root, 'secrets'), { recursive: true });
  cpSync(join(REPO, '.sops.yaml'), join(root, '.sops.yaml'));
  // The chart directories of the sample's Helm apps, if it has any: synth refuses a missing one.
  if (existsSync(join(REPO, 'helm'))) cpSync(join(REPO, 'helm'), join(root, 'helm'), { recursive: true });
  return root;
}

/** Every TEST-ONLY key concatenated into one keys file (what secrets/README.md tells you to do). */
export function testKeysFile(dir: string): string {
  const path = join(dir, 'test-keys.txt');
  const keys = readdirSync(join(REPO, 'secrets', 'keys')).map((file) => readFileSync(join(REPO, 'secrets', 'keys', file), 'utf8'));
  writeFileSync(path, keys.join('\n'));
  return path;
}

/** Environment variables for the secrets stage: with every test key, or with none at all (CI). */
export function keyEnv(root: string, withKeys: boolean): Record<string, string | undefined> {
  return withKeys ? { SOPS_AGE_KEY_FILE: testKeysFile(root), HOME: root } : { HOME: root };
}

/** Relative path → text of every file under `dir` (recursively). */
export function filesUnder(dir: string, base = dir): Record<string, string> {
  const files: Record<string, string> = {};
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return files;
  }
  for (const entry of entries) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) Object.assign(files, filesUnder(path, base));
    else files[relative(base, path)] = readFileSync(path, 'utf8');
  }
  return files;
}

/** Decrypted values of a source, by key (`data` values decoded), with the environment's key. */
export async function sourceValues(root: string, environment: string, secret: string): Promise<Record<string, Buffer>> {
  const text = readFileSync(join(root, 'secrets', environment, `${secret}.sops.yaml`), 'utf8');
  const opened = await decryptSops(text, { identities: sampleIdentities(environment) });
  if (!opened.ok) throw new Error(`cannot open ${environment}/${secret}`);
  const data = (opened.value.data.data ?? {}) as Record<string, string>;
  const stringData = (opened.value.data.stringData ?? {}) as Record<string, string>;
  return {
    ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    ...Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v, 'utf8')])),
  };
}

/** Secret names in a source environment directory. */
export function sourcesOf(root: string, environment: string): string[] {
  return readdirSync(join(root, 'secrets', environment))
    .filter((f) => f.endsWith('.sops.yaml'))
    .map((f) => f.replace(/\.sops\.yaml$/, ''));
}

export function keysOf(root: string, environment: string, secret: string): { field: string; key: string }[] {
  const doc = parse(readFileSync(join(root, 'secrets', environment, `${secret}.sops.yaml`), 'utf8'));
  return ['data', 'stringData'].flatMap((field) => Object.keys(doc[field] ?? {}).map((key) => ({ field, key })));
}
