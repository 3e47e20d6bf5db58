/**
 * Which values of a SOPS document are encrypted. Mirrors `Tree.shouldBeEncrypted` in getsops/sops
 * `sops.go`: a value is judged by every key on its path (a list adds nothing to the path), so
 * `encrypted_regex: ^(data|stringData)$` encrypts the whole `stringData` subtree. A file may set
 * at most one of the four rules; with none, everything but keys ending in `_unencrypted` is
 * encrypted.
 */

/** The encryption rule fields of a `sops:` block or a `.sops.yaml` creation rule. */
export interface SopsEncryptionRuleOptions {
  /** Keys ending with this suffix, and their subtrees, stay plain. @default - `_unencrypted` when no other rule is set */
  readonly unencryptedSuffix?: string;
  /** Only keys ending with this suffix, and their subtrees, are encrypted. @default - not used */
  readonly encryptedSuffix?: string;
  /** Keys matching this (Go RE2) regex, and their subtrees, stay plain. @default - not used */
  readonly unencryptedRegex?: string;
  /** Only keys matching this (Go RE2) regex, and their subtrees, are encrypted. @default - not used */
  readonly encryptedRegex?: string;
}

export interface SopsEncryptionRule {
  readonly options: SopsEncryptionRuleOptions;
  /** True when the leaf at this key path is (or must be) encrypted. */
  encrypts(path: readonly string[]): boolean;
}

/** sops' default when a file names no rule (`sops.DefaultUnencryptedSuffix`). */
export const DEFAULT_UNENCRYPTED_SUFFIX = '_unencrypted';

/** Builds the rule, or explains why it is invalid (never echoes values, only the rule text). */
export function encryptionRule(options: SopsEncryptionRuleOptions): SopsEncryptionRule | { readonly error: string } {
  const set = (['unencryptedSuffix', 'encryptedSuffix', 'unencryptedRegex', 'encryptedRegex'] as const).filter(
    (name) => options[name] !== undefined && options[name] !== '',
  );
  if (set.length > 1) {
    return { error: `only one of encrypted_suffix, unencrypted_suffix, encrypted_regex and unencrypted_regex may be set (found ${set.join(', ')})` };
  }
  const effective: SopsEncryptionRuleOptions = set.length === 0 ? { unencryptedSuffix: DEFAULT_UNENCRYPTED_SUFFIX } : options;
  const unencryptedRegex = compileOptional(effective.unencryptedRegex);
  const encryptedRegex = compileOptional(effective.encryptedRegex);
  if (unencryptedRegex === null || encryptedRegex === null) {
    return { error: `cannot compile regex ${JSON.stringify(effective.unencryptedRegex ?? effective.encryptedRegex)}` };
  }
  const { unencryptedSuffix, encryptedSuffix } = effective;
  return {
    options: effective,
    encrypts(path) {
      if (unencryptedSuffix) return !path.some((key) => key.endsWith(unencryptedSuffix));
      if (encryptedSuffix) return path.some((key) => key.endsWith(encryptedSuffix));
      if (unencryptedRegex) return !path.some((key) => unencryptedRegex.test(key));
      if (encryptedRegex) return path.some((key) => encryptedRegex.test(key));
      return true;
    },
  };
}

/**
 * Compiles a Go RE2 pattern as a JavaScript RegExp. The two agree on the syntax people use in
 * `.sops.yaml`; Go's leading inline flags (`(?i)`) become JavaScript flags. Unanchored, like
 * Go's `regexp.MatchString`. Returns null when the pattern does not compile.
 */
export function goRegExp(pattern: string): RegExp | null {
  const inline = /^\(\?([imsU]+)\)/.exec(pattern);
  const flags = inline ? inline[1].replace('U', '') : '';
  try {
    return new RegExp(inline ? pattern.slice(inline[0].length) : pattern, flags);
  } catch {
    return null;
  }
}

function compileOptional(pattern: string | undefined): RegExp | undefined | null {
  return pattern ? goRegExp(pattern) : undefined;
}
