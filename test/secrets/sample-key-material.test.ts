// The committed TEST-ONLY sample keys (secrets/keys/, secrets/clusters/, test/fixtures/secrets/)
// must stay consistent: a recipient in a README or .sops.yaml that no key opens is worse than none.
import { createPrivateKey, createPublicKey } from 'crypto';
import { readdirSync } from 'fs';
import { join } from 'path';
import { identityToRecipient } from 'age-encryption';
import { fixture, REPO, repoFile, sampleIdentities, sampleRecipient } from './fixtures';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const keyNames = readdirSync(join(REPO, 'secrets', 'keys'))
  .filter((file) => file.endsWith('.agekey'))
  .map((file) => file.replace(/\.agekey$/, ''));

describe('sample key material', () => {
  test('one key per environment and per cluster', () => {
    expect(keyNames).toEqual(expect.arrayContaining(['development', 'staging', 'production', 'cluster-staging', 'cluster-production']));
  });

  test.each(keyNames)('%s.agekey is marked TEST ONLY and its public-key comment is its recipient', async (name) => {
    // GIVEN
    const text = repoFile(`secrets/keys/${name}.agekey`);

    // THEN
    expect(text.split('\n')[0]).toBe('# TEST ONLY — sample fleet key, never use for real secrets');
    expect(sampleIdentities(name)).toHaveLength(1);
    expect(await identityToRecipient(sampleIdentities(name)[0])).toBe(sampleRecipient(name));
    expect(repoFile('secrets/README.md')).toContain(sampleRecipient(name));
  });

  test.each(['staging', 'production', 'specials'])('the %s sealed-secrets certificate matches its private key fixture', (cluster) => {
    const publicKey = createPublicKey(repoFile(`secrets/clusters/${cluster}/sealed-secrets-cert.pem`));
    const fromPrivate = createPublicKey(createPrivateKey(fixture(`${cluster}-sealed-secrets-key.pem`)));
    expect(publicKey.export({ type: 'spki', format: 'pem' })).toBe(fromPrivate.export({ type: 'spki', format: 'pem' }));
  });
});
