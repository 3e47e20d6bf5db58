import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { error, type Problem } from '../../model/problem';
import { readSecretSource, type SecretSource } from '../../secrets';
import { secretSourcePath } from './source-layout';

/** A source file as the render stage sees it. */
export type SourceState =
  | { readonly found: false; readonly file: string }
  | { readonly found: true; readonly file: string; readonly source?: SecretSource; readonly problems: readonly Problem[] };

/**
 * Reads `secrets/<environment>/<secret>.sops.yaml` once per run, however many clusters and
 * namespaces use it. Without an identity that opens it (CI) a source carries only ciphertexts,
 * which is enough to reuse committed output; see src/secrets/secret-source.ts.
 */
export class SecretSources {
  private readonly cache = new Map<string, Promise<SourceState>>();

  constructor(
    private readonly root: string,
    private readonly identities: readonly string[],
  ) {}

  get(environment: string, secret: string): Promise<SourceState> {
    const file = secretSourcePath(environment, secret);
    let state = this.cache.get(file);
    if (!state) {
      state = readSource(this.root, file, secret, this.identities);
      this.cache.set(file, state);
    }
    return state;
  }
}

async function readSource(root: string, file: string, secret: string, identities: readonly string[]): Promise<SourceState> {
  let text: string;
  try {
    text = readFileSync(join(root, file), 'utf8');
  } catch {
    return { found: false, file };
  }
  const result = await readSecretSource(text, { identities, file });
  if (!result.ok) return { found: true, file, problems: result.problems };
  const name = manifestName(text);
  if (name !== undefined && name !== secret) {
    const problem = error(
      'secrets/name-mismatch',
      { object: `Secret/${name}`, field: 'metadata.name', definition: file },
      `the Secret in ${file} is named "${name}", but the file name says "${secret}"`,
      `the file name is the secret's name in every cluster: rename the file to ${name}.sops.yaml or set metadata.name to ${secret}`,
    );
    return { found: true, file, problems: [problem] };
  }
  return { found: true, file, source: result.value, problems: [] };
}

/** `metadata.name` of the manifest (kept in clear by sops). */
function manifestName(text: string): string | undefined {
  const name = (parse(text) as { metadata?: { name?: unknown } } | null)?.metadata?.name;
  return typeof name === 'string' ? name : undefined;
}
