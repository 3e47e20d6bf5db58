/**
 * Finds the age identities (private keys) that open SOPS files, from the same places as sops
 * (`age/keysource.go`, `loadIdentities`), all of them combined:
 *   1. `SOPS_AGE_KEY`: the keys inline (several lines, `#` comments allowed);
 *   2. `SOPS_AGE_KEY_FILE`: a keys file;
 *   3. `$XDG_CONFIG_HOME/sops/age/keys.txt`, or `~/.config/sops/age/keys.txt` (Linux
 *      `os.UserConfigDir`).
 * Pure: the environment and the file reader are parameters, so tests need no real home.
 */
import { readFileSync } from 'fs';
import { posix } from 'path';
import { error, Problem, warning } from '../model/problem';

export interface AgeIdentitySources {
  /** Environment variables; reads SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME and HOME. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Reads a file as UTF-8; returns undefined when it does not exist. @see readFileIfExists */
  readonly readFile: (path: string) => string | undefined;
}

export interface LoadedAgeIdentities {
  /** `AGE-SECRET-KEY-1…` strings; never log them. */
  readonly identities: readonly string[];
  /** Where identities were found (`SOPS_AGE_KEY` or a file path), for messages. */
  readonly sources: readonly string[];
  /** Malformed keys, a missing SOPS_AGE_KEY_FILE, or `secrets/age-identity-missing` when none was found. */
  readonly problems: readonly Problem[];
}

/** The keys file sops reads under the user config directory. */
export const USER_KEYS_FILE = 'sops/age/keys.txt';

const FIX = 'set SOPS_AGE_KEY_FILE to your age key file (or put it in ~/.config/sops/age/keys.txt); create one with `age-keygen -o keys.txt`';

export function loadAgeIdentities(sources: AgeIdentitySources): LoadedAgeIdentities {
  const { env, readFile } = sources;
  const found: { identities: string[]; sources: string[]; problems: Problem[] } = { identities: [], sources: [], problems: [] };
  const checked: string[] = [];
  const add = (text: string, source: string) => {
    const parsed = parseAgeIdentities(text, source);
    found.problems.push(...parsed.problems);
    if (parsed.identities.length > 0) {
      found.identities.push(...parsed.identities);
      found.sources.push(source);
    }
  };

  checked.push('SOPS_AGE_KEY');
  if (env.SOPS_AGE_KEY !== undefined) add(env.SOPS_AGE_KEY, 'SOPS_AGE_KEY');

  checked.push('SOPS_AGE_KEY_FILE');
  if (env.SOPS_AGE_KEY_FILE !== undefined) {
    const text = readFile(env.SOPS_AGE_KEY_FILE);
    if (text === undefined) {
      found.problems.push(error('secrets/age-key-file-missing', { definition: env.SOPS_AGE_KEY_FILE }, 'SOPS_AGE_KEY_FILE names a file that does not exist', FIX));
    } else {
      add(text, env.SOPS_AGE_KEY_FILE);
    }
  }

  const configDir = userConfigDir(env);
  if (configDir !== undefined) {
    const path = posix.join(configDir, USER_KEYS_FILE);
    checked.push(path);
    const text = readFile(path);
    if (text !== undefined) add(text, path);
  }

  if (found.identities.length === 0) {
    found.problems.push(error('secrets/age-identity-missing', {}, `no age identity found (looked in ${checked.join(', ')})`, FIX));
  }
  return found;
}

/**
 * Parses a keys file: one identity per line, blank lines and `#` comments ignored. Problems name
 * the source and line, never the line's content.
 */
export function parseAgeIdentities(text: string, source: string): { readonly identities: readonly string[]; readonly problems: readonly Problem[] } {
  const identities: string[] = [];
  const problems: Problem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(line)) identities.push(line);
    else if (line.startsWith('AGE-PLUGIN-')) {
      problems.push(warning('secrets/age-identity-unsupported', { definition: source }, `line ${index + 1} is an age plugin identity, which fleet cannot use`, 'use a native age key (age-keygen)'));
    } else {
      problems.push(error('secrets/age-identity-invalid', { definition: source }, `line ${index + 1} is not an age identity`, 'each non-comment line must be an AGE-SECRET-KEY-1… key from age-keygen'));
    }
  });
  return { identities, problems };
}

/** Node's file reader for `AgeIdentitySources.readFile`: undefined when the file is absent. */
export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Go's `os.UserConfigDir` on Linux: `$XDG_CONFIG_HOME`, else `$HOME/.config`. */
function userConfigDir(env: AgeIdentitySources['env']): string | undefined {
  if (env.XDG_CONFIG_HOME) return env.XDG_CONFIG_HOME;
  if (env.HOME) return posix.join(env.HOME, '.config');
  return undefined;
}
