import { createPublicKey } from 'crypto';
import { hybridEncrypt, SealingScope, sealingLabel, unseal } from '../../src/secrets/hybrid-encryption';
import { fixture, repoFile } from './fixtures';

const publicKey = createPublicKey(repoFile('secrets/clusters/staging/sealed-secrets-cert.pem'));
const privateKey = fixture('staging-sealed-secrets-key.pem');
const value = Buffer.from('s3cr3t-Pa55word-for-tests');

describe('kubeseal hybrid encryption', () => {
  test.each<[SealingScope, string]>([
    ['strict', 'bookstore/database'],
    ['namespace-wide', 'bookstore'],
    ['cluster-wide', ''],
  ])('%s scope seals with label %j and unseals with the controller key', (scope, label) => {
    // GIVEN
    expect(sealingLabel('bookstore', 'database', scope).toString()).toBe(label);

    // WHEN
    const blob = hybridEncrypt(publicKey, value, sealingLabel('bookstore', 'database', scope)).toString('base64');

    // THEN
    const plain = unseal(blob, privateKey, label);
    expect(plain.ok && plain.value.equals(value)).toBe(true);
  });

  test('blob layout: 2-byte RSA length, 512-byte RSA-4096 block, GCM ciphertext and 16-byte tag', () => {
    const blob = hybridEncrypt(publicKey, value, Buffer.from('bookstore/database'));
    expect(blob.readUInt16BE(0)).toBe(512);
    expect(blob.length).toBe(2 + 512 + value.length + 16);
  });

  test('a label mismatch does not unseal (strict secret renamed or moved)', () => {
    // GIVEN a value sealed for bookstore/database
    const blob = hybridEncrypt(publicKey, value, sealingLabel('bookstore', 'database', 'strict'));

    // WHEN unsealed as another name, another namespace, or cluster-wide
    const results = ['bookstore/other', 'payments/database', 'bookstore', ''].map((label) => unseal(blob, privateKey, label));

    // THEN
    for (const result of results) {
      expect(!result.ok && result.problems[0].code).toBe('secrets/unseal-failed');
    }
  });

  test('another cluster key does not unseal', () => {
    const blob = hybridEncrypt(publicKey, value, Buffer.alloc(0));
    expect(unseal(blob, fixture('production-sealed-secrets-key.pem'), '').ok).toBe(false);
  });

  test('a changed blob does not unseal', () => {
    const blob = hybridEncrypt(publicKey, value, Buffer.alloc(0));
    blob[blob.length - 1] ^= 1;
    expect(unseal(blob, privateKey, '').ok).toBe(false);
  });
});
