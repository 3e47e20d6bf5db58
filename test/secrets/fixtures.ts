// Test key material and sample secrets shared by the secrets tests. All keys here are
// TEST ONLY (see secrets/README.md and test/fixtures/secrets/README.md).
import { readFileSync } from 'fs';
import { join } from 'path';
import { parseAgeIdentities } from '../../src/secrets/age-identity';

export const REPO = join(__dirname, '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'secrets');

/**
 * Warnings the sample secrets carry on purpose, tested where they are made: the TEST-ONLY keys
 * (test/secrets/test-only-keys.test.ts) and seed 004's files that .sops.yaml wants wrapped for
 * an AWS KMS key no sample can reach (test/secrets/kms-coverage.test.ts).
 */
export const SAMPLE_STANDING_WARNINGS: readonly string[] = ['secrets/test-only-key', 'secrets/kms-not-wrapped'];

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

export function repoFile(path: string): string {
  return readFileSync(join(REPO, path), 'utf8');
}

/** The identities of a sample key file in secrets/keys/. */
export function sampleIdentities(name: string): readonly string[] {
  return parseAgeIdentities(repoFile(`secrets/keys/${name}.agekey`), name).identities;
}

/** The recipient age-keygen wrote in the `# public key:` comment. */
export function sampleRecipient(name: string): string {
  const match = /# public key: (age1\w+)/.exec(repoFile(`secrets/keys/${name}.agekey`));
  if (!match) throw new Error(`no public key comment in ${name}.agekey`);
  return match[1];
}

/** The sops 3.10.2 test vector and the identity that opens it. */
export const VECTOR = {
  file: 'test/fixtures/secrets/flux-global-age-secret.sops.yaml',
  text: () => fixture('flux-global-age-secret.sops.yaml'),
  identities: () => parseAgeIdentities(fixture('flux-age-global.agekey'), 'vector').identities,
  recipient: 'age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph',
};

/** A plaintext Secret like the ones people commit to secrets/<env>/ (before sops). */
export const DATABASE_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: database
  namespace: bookstore
  labels:
    app: bookstore
type: Opaque
stringData:
  username: bookstore-app
  password: s3cr3t-Pa55word-for-tests
data:
  tls.key: ${Buffer.from('-----BEGIN TEST KEY-----\nnot-a-real-key\n').toString('base64')}
`;

/** A fixed clock, well inside the sample certificates' validity (2025–2035). */
export const NOW = new Date('2030-06-01T12:00:00Z');

/** Reads a repository file for code that takes a reader; undefined when absent. */
export function readRepoFile(path: string): string | undefined {
  try {
    return readFileSync(join(REPO, path), 'utf8');
  } catch {
    return undefined;
  }
}
