import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeObject } from '../../model/kube-object';
import { error, type Problem } from '../../model/problem';
import { swappedCiphertexts } from '../../secrets';
import { CLUSTERS_DIR, SECRETS_DIR_NAME } from '../layout';
import { GENERATED_MARKER, parseYamlDocuments } from '../yaml';
import { readPreviousObject } from './previous-output';

/**
 * `npm run check` without any key: every committed SealedSecret compared with the same file at
 * the base revision. A key whose ciphertext changed while its source digest, certificate and
 * scope did not was sealed outside fleet (see src/secrets/sealed-integrity.ts) — the pull request
 * injects a value no reviewer can read. The base is `$FLEET_BASE_REF` (CI sets it to the target
 * branch, e.g. origin/main), else `origin/$GITHUB_BASE_REF` on GitHub pull requests, else `HEAD`
 * (which catches a swap not yet committed). Outside a Git repository there is no base to check.
 */
export function sealedSecretsSinceBase(root: string, env: Readonly<Record<string, string | undefined>>, clusters?: readonly string[]): Problem[] {
  const base = baseRef(root, env);
  if ('problem' in base) return [base.problem];
  if (base.ref === undefined) return [];
  const problems: Problem[] = [];
  for (const file of committedSealedSecrets(root, clusters)) {
    const namespace = file.split('/')[3];
    const now = readPreviousObject(root, file, namespace);
    const before = objectAt(root, base.ref, file, namespace);
    if (!now || !before) continue;
    for (const key of swappedCiphertexts(before, now)) {
      problems.push(
        error(
          'secrets/sealed-ciphertext-swapped',
          { cluster: file.split('/')[1], namespace, object: `SealedSecret/${namespace}/${now.metadata.name}`, field: `spec.encryptedData.${key}`, definition: file },
          `the ciphertext of key ${JSON.stringify(key)} differs from ${base.ref} although its SOPS source did not change (same source digest, certificate and scope): it was sealed outside fleet, possibly to inject a value`,
          `restore it with \`git checkout ${base.ref} -- ${file}\`; to change the value, use \`npm run secrets -- set\` and synth with the key`,
        ),
      );
    }
  }
  return problems;
}

function git(root: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync('git', ['-C', root, ...args], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 28 }).toString('utf8');
  } catch {
    return undefined;
  }
}

function resolves(root: string, ref: string): boolean {
  return git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]) !== undefined;
}

function baseRef(root: string, env: Readonly<Record<string, string | undefined>>): { ref?: string } | { problem: Problem } {
  const explicit = env.FLEET_BASE_REF?.trim();
  if (explicit) {
    if (resolves(root, explicit)) return { ref: explicit };
    return { problem: error('secrets/unknown-base-ref', { field: 'FLEET_BASE_REF' }, `FLEET_BASE_REF "${explicit}" is not a commit of this repository, so committed SealedSecrets cannot be compared with the base`, 'fetch the base branch (in CI: fetch-depth: 0) or set FLEET_BASE_REF to an existing ref') };
  }
  for (const ref of [env.GITHUB_BASE_REF ? `origin/${env.GITHUB_BASE_REF}` : undefined, 'HEAD']) {
    if (ref && resolves(root, ref)) return { ref };
  }
  return {};
}

/** `clusters/<cluster>/apps/<namespace>/secrets/sealed-secret-*.yaml` on disk. */
function committedSealedSecrets(root: string, clusters?: readonly string[]): string[] {
  const files: string[] = [];
  const list = (dir: string) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).sort() : []);
  for (const cluster of list(CLUSTERS_DIR).filter((c) => !clusters || clusters.includes(c))) {
    for (const namespace of list(`${CLUSTERS_DIR}/${cluster}/apps`)) {
      const dir = `${CLUSTERS_DIR}/${cluster}/apps/${namespace}/${SECRETS_DIR_NAME}`;
      files.push(...list(dir).filter((f) => f.startsWith('sealed-secret-') && f.endsWith('.yaml')).map((f) => `${dir}/${f}`));
    }
  }
  return files;
}

/** The object a file held at a revision (path relative to the project root, which may be a subdirectory of the repository). */
function objectAt(root: string, ref: string, file: string, namespace: string): KubeObject | undefined {
  const text = git(root, ['show', `${ref}:./${file}`]);
  if (text === undefined) return undefined;
  try {
    const [object] = parseYamlDocuments(text.startsWith(GENERATED_MARKER) ? text.slice(text.indexOf('\n') + 1) : text) as KubeObject[];
    return object && typeof object.metadata?.name === 'string' ? { ...object, metadata: { ...object.metadata, namespace } } : undefined;
  } catch {
    return undefined;
  }
}
