/**
 * Last line of defence before a commit: no Secret may reach the repository in clear. Two checks:
 * every `kind: Secret` document with data must be SOPS-encrypted, and none of a set of known
 * plaintexts (the test fixtures' secret values, or values just decrypted) may appear anywhere,
 * raw or base64-encoded. Findings name the file and the secret's label, never the value.
 */
import { parseAllDocuments } from 'yaml';
import { error, Problem } from '../model/problem';
import { isEncryptedValue } from './sops-cipher';

/** Rendered or committed files: repository path → text. */
export type FileTexts = Readonly<Record<string, string>>;

/** `secrets/plaintext-secret` for every Secret with data or stringData not encrypted by sops. */
export function scanForPlaintextSecrets(files: FileTexts): Problem[] {
  const problems: Problem[] = [];
  for (const [path, text] of Object.entries(files)) {
    if (!/\.(ya?ml|json)$/.test(path)) continue;
    for (const doc of parseAllDocuments(text) as Iterable<{ errors: unknown[]; toJS(): unknown }>) {
      if (doc.errors.length > 0) continue;
      const object = doc.toJS() as Record<string, unknown> | null;
      for (const secret of secretsIn(object)) {
        const field = plaintextField(secret, object === secret ? object : undefined);
        if (!field) continue;
        const metadata = (secret.metadata ?? {}) as Record<string, unknown>;
        problems.push(
          error(
            'secrets/plaintext-secret',
            { object: `Secret/${[metadata.namespace, metadata.name].filter(Boolean).join('/')}`, field, definition: path },
            `a Secret has ${field} in clear`,
            'declare it as a SOPS-encrypted secret (secrets/<environment>/*.sops.yaml) so synth seals or encrypts it; never commit a plain Secret',
          ),
        );
      }
    }
  }
  return problems;
}

/** A plaintext to look for, and the label findings use instead of it. */
export interface KnownSecret {
  readonly label: string;
  readonly value: string | Uint8Array;
}

export interface LeakFinding {
  readonly file: string;
  /** The `KnownSecret.label`; the value itself is never reported. */
  readonly secret: string;
  readonly encoding: 'raw' | 'base64';
}

export interface FindKnownValuesOptions {
  /** Shorter values are skipped: `true` or `1` would match everywhere. @default 1 */
  readonly minLength?: number;
}

/** Every file that contains a known plaintext, raw or as base64 (how Secret `data` holds it). */
export function findKnownValues(files: FileTexts, secrets: readonly KnownSecret[], options: FindKnownValuesOptions = {}): LeakFinding[] {
  const minLength = Math.max(1, options.minLength ?? 1);
  const needles = secrets
    .map(({ label, value }) => ({ label, bytes: Buffer.from(value) }))
    .filter(({ bytes }) => bytes.length >= minLength)
    .map(({ label, bytes }) => ({ label, raw: bytes.toString('utf8'), base64: bytes.toString('base64'), unpadded: bytes.toString('base64').replace(/=+$/, '') }));
  const findings: LeakFinding[] = [];
  for (const [file, text] of Object.entries(files)) {
    for (const needle of needles) {
      if (text.includes(needle.raw)) findings.push({ file, secret: needle.label, encoding: 'raw' });
      else if (text.includes(needle.base64) || (needle.unpadded.length >= 4 && text.includes(needle.unpadded))) {
        findings.push({ file, secret: needle.label, encoding: 'base64' });
      }
    }
  }
  return findings;
}

/** The Secrets in a document: itself, or the items of a `kind: List`. */
function secretsIn(object: Record<string, unknown> | null): Record<string, unknown>[] {
  if (!object || typeof object !== 'object') return [];
  if (object.kind === 'Secret') return [object];
  if (object.kind === 'List' && Array.isArray(object.items)) {
    return object.items.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null && item.kind === 'Secret');
  }
  return [];
}

/** The first of data / stringData holding a value sops did not encrypt, if any. */
function plaintextField(secret: Record<string, unknown>, document: Record<string, unknown> | undefined): string | undefined {
  const sops = document?.sops as Record<string, unknown> | undefined;
  const encryptedFile = typeof sops === 'object' && sops !== null && typeof sops.mac === 'string';
  for (const field of ['data', 'stringData']) {
    const values = secret[field];
    if (typeof values !== 'object' || values === null) continue;
    for (const [key, value] of Object.entries(values)) {
      const encrypted = encryptedFile && typeof value === 'string' && (value === '' || isEncryptedValue(value));
      if (!encrypted && value !== null && value !== '') return `${field}.${key}`;
    }
  }
  return undefined;
}
