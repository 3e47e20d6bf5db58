import { parse } from 'yaml';
import { readSecretSource } from '../../src/secrets/secret-source';
import { encryptSops } from '../../src/secrets/sops';
import { DATABASE_SECRET, NOW, sampleIdentities, sampleRecipient, VECTOR } from './fixtures';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

async function encrypted(plaintext = DATABASE_SECRET, encryptedRegex = '^(data|stringData)$'): Promise<string> {
  const result = await encryptSops(plaintext, { recipients: [sampleRecipient('staging')], encryptedRegex, now: () => NOW });
  if (!result.ok) throw new Error('fixture did not encrypt');
  return result.value;
}

describe('readSecretSource', () => {
  test('with a key: ciphertexts, decoded values and the data key', async () => {
    // GIVEN
    const text = await encrypted();

    // WHEN
    const source = await readSecretSource(text, { identities: sampleIdentities('staging'), file: 'secrets/staging/database.sops.yaml' });

    // THEN entries are sorted by key; data values are base64-decoded
    if (!source.ok) throw new Error('no source');
    const doc = parse(text);
    expect(source.value.entries).toEqual([
      { key: 'password', field: 'stringData', ciphertext: doc.stringData.password, value: Buffer.from('s3cr3t-Pa55word-for-tests') },
      { key: 'tls.key', field: 'data', ciphertext: doc.data['tls.key'], value: Buffer.from('-----BEGIN TEST KEY-----\nnot-a-real-key\n') },
      { key: 'username', field: 'stringData', ciphertext: doc.stringData.username, value: Buffer.from('bookstore-app') },
    ]);
    expect(source.value).toMatchObject({ type: 'Opaque', labels: { app: 'bookstore' }, file: 'secrets/staging/database.sops.yaml' });
    expect(source.value.dataKey).toHaveLength(32);
  });

  test('without a key (CI): ciphertexts only', async () => {
    const source = await readSecretSource(await encrypted(), { identities: [] });
    expect(source.ok && source.value.entries.map((e) => [e.key, e.value])).toEqual([
      ['password', undefined],
      ['tls.key', undefined],
      ['username', undefined],
    ]);
    expect(source.ok && source.value.dataKey).toBeUndefined();
  });

  test('with a key for another environment: treated as no key', async () => {
    const source = await readSecretSource(await encrypted(), { identities: sampleIdentities('production') });
    expect(source.ok && source.value.dataKey).toBeUndefined();
  });

  test('reads the sops 3.10.2 vector', async () => {
    const source = await readSecretSource(VECTOR.text(), { identities: VECTOR.identities() });
    expect(source.ok && source.value.entries.map((e) => [e.key, e.field, e.value?.length])).toEqual([['key', 'stringData', 12]]);
  });

  test('a value left in clear under stringData is a plaintext-secret problem', async () => {
    // GIVEN a file whose rule only encrypts `data`
    const text = await encrypted(DATABASE_SECRET, '^data$');

    // WHEN
    const source = await readSecretSource(text, { identities: [] });

    // THEN
    expect(!source.ok && source.problems[0]).toMatchObject({ code: 'secrets/plaintext-secret', place: { object: 'Secret/bookstore/database', field: 'stringData.username' } });
    expect(JSON.stringify(source)).not.toContain('s3cr3t');
  });

  test('a tampered file is a problem even though values would decrypt', async () => {
    const tampered = (await encrypted()).replace('app: bookstore', 'app: other');
    const source = await readSecretSource(tampered, { identities: sampleIdentities('staging') });
    expect(!source.ok && source.problems[0].code).toBe('secrets/sops-mac-mismatch');
  });

  test('a SOPS file that is not a Secret is refused', async () => {
    const text = await encrypted('kind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n');
    const source = await readSecretSource(text, { identities: [] });
    expect(!source.ok && source.problems[0].code).toBe('secrets/not-a-secret');
  });
});
