import { execFileSync, spawnSync } from 'child_process';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { decryptSops as sopsAgeDecrypt } from 'sops-age';
import { parse } from 'yaml';
import { decryptSops, encryptSops } from '../../src/secrets/sops';
import { DATABASE_SECRET, NOW, sampleIdentities, sampleRecipient, VECTOR } from './fixtures';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const ENCRYPTED_REGEX = '^(data|stringData)$';
const ageCli = spawnSync('age', ['--version']).status === 0;

describe('decryptSops: the sops 3.10.2 test vector', () => {
  test('decrypts every value and verifies the MAC', async () => {
    // GIVEN a file written by the real sops CLI and its age identity
    const text = VECTOR.text();

    // WHEN
    const result = await decryptSops(text, { identities: VECTOR.identities(), file: VECTOR.file });

    // THEN the MAC (SHA-512 over every plaintext leaf) matched, so every value is exact
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    const { data, values, metadata, dataKey } = result.value;
    expect(dataKey).toHaveLength(32);
    expect(metadata).toMatchObject({ version: '3.10.2', encryptedRegex: ENCRYPTED_REGEX, lastModified: '2025-07-06T17:19:51Z' });
    expect(data).toMatchObject({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: 'global-age-secret', namespace: 'default' } });
    expect(data).not.toHaveProperty('sops');
    expect(values.map((v) => [v.path.join('.'), v.encrypted])).toEqual([
      ['apiVersion', false],
      ['kind', false],
      ['metadata.name', false],
      ['metadata.namespace', false],
      ['type', false],
      ['stringData.key', true],
    ]);
    const key = (data.stringData as Record<string, unknown>).key;
    expect(typeof key).toBe('string');
    expect(key).toHaveLength(12);
  });

  test('agrees with sops-age, an independent decoder', async () => {
    // GIVEN / WHEN both decoders open the vector
    const ours = await decryptSops(VECTOR.text(), { identities: VECTOR.identities() });
    const theirs = await sopsAgeDecrypt(VECTOR.text(), { secretKey: VECTOR.identities()[0], fileType: 'yaml' });

    // THEN
    expect(ours.ok && ours.value.data).toEqual(theirs);
  });

  test('a tampered plain value fails the MAC check with a clear problem', async () => {
    // GIVEN the namespace (not encrypted, but covered by the MAC) changed by hand
    const tampered = VECTOR.text().replace('namespace: default', 'namespace: kube-system');

    // WHEN
    const result = await decryptSops(tampered, { identities: VECTOR.identities(), file: VECTOR.file });

    // THEN
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'secrets/sops-mac-mismatch',
        place: { definition: VECTOR.file },
        message: expect.stringContaining('the MAC does not match the values'),
      }),
    ]);
  });

  test('a value moved to another key does not decrypt (the key path is authenticated)', async () => {
    // GIVEN the encrypted value moved from stringData.key to stringData.other
    const moved = VECTOR.text().replace('  key: ENC[', '  other: ENC[');

    // WHEN
    const result = await decryptSops(moved, { identities: VECTOR.identities() });

    // THEN
    expect(!result.ok && result.problems.map((p) => [p.code, p.place.field])).toEqual([['secrets/sops-decrypt-failed', 'stringData.other']]);
  });

  test('a changed lastmodified breaks the MAC', async () => {
    const tampered = VECTOR.text().replace('2025-07-06T17:19:51Z', '2025-07-06T17:19:52Z');
    const result = await decryptSops(tampered, { identities: VECTOR.identities() });
    expect(!result.ok && result.problems[0].message).toContain('the stored MAC does not decrypt');
  });

  test('without a matching identity it names the recipients and the fix', async () => {
    // GIVEN a key that is not a recipient
    const result = await decryptSops(VECTOR.text(), { identities: sampleIdentities('staging') });

    // THEN
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: 'secrets/sops-no-identity',
      message: expect.stringContaining(VECTOR.recipient),
      fix: expect.stringContaining('SOPS_AGE_KEY_FILE'),
    });
  });

  test('problems never contain the plaintext', async () => {
    const opened = await decryptSops(VECTOR.text(), { identities: VECTOR.identities() });
    const secret = opened.ok ? String((opened.value.data.stringData as Record<string, unknown>).key) : '';
    const tampered = VECTOR.text().replace('name: global-age-secret', 'name: other');
    const result = await decryptSops(tampered, { identities: VECTOR.identities() });
    expect(secret).not.toBe('');
    expect(JSON.stringify(result)).not.toContain(secret);
  });
});

describe('encryptSops', () => {
  const recipient = sampleRecipient('staging');

  async function encrypted(plaintext = DATABASE_SECRET): Promise<string> {
    const result = await encryptSops(plaintext, { recipients: [recipient], encryptedRegex: ENCRYPTED_REGEX, now: () => NOW });
    if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
    return result.value;
  }

  test('round trip: our decrypt returns the input', async () => {
    // GIVEN / WHEN
    const text = await encrypted();
    const result = await decryptSops(text, { identities: sampleIdentities('staging') });

    // THEN
    expect(result.ok && result.value.data).toEqual(parse(DATABASE_SECRET));
  });

  test('writes the sops layout: same key order, only data/stringData encrypted, sops block last', async () => {
    // GIVEN / WHEN
    const text = await encrypted();
    const doc = parse(text);

    // THEN
    expect(Object.keys(doc)).toEqual(['apiVersion', 'kind', 'metadata', 'type', 'stringData', 'data', 'sops']);
    expect(Object.keys(doc.sops)).toEqual(['age', 'lastmodified', 'mac', 'encrypted_regex', 'version']);
    expect(doc.metadata).toEqual({ name: 'database', namespace: 'bookstore', labels: { app: 'bookstore' } });
    for (const value of [...Object.values(doc.stringData), ...Object.values(doc.data)]) {
      expect(value).toMatch(/^ENC\[AES256_GCM,data:[^,]+,iv:[A-Za-z0-9+/=]{44},tag:[A-Za-z0-9+/=]{24},type:str\]$/);
    }
    expect(doc.sops).toMatchObject({ lastmodified: '2030-06-01T12:00:00Z', encrypted_regex: ENCRYPTED_REGEX, version: '3.10.2' });
    expect(doc.sops.age).toEqual([{ recipient, enc: expect.stringMatching(/^-----BEGIN AGE ENCRYPTED FILE-----\n[\s\S]+\n-----END AGE ENCRYPTED FILE-----\n$/) }]);
    expect(text).toContain('lastmodified: "2030-06-01T12:00:00Z"');
    expect(text).toContain('      enc: |\n        -----BEGIN AGE ENCRYPTED FILE-----\n');
    expect(text).not.toContain('s3cr3t');
  });

  test('is randomized: two encryptions of the same input differ', async () => {
    const [a, b] = [await encrypted(), await encrypted()];
    expect(a).not.toBe(b);
  });

  test('sops-age decrypts our output to the same values', async () => {
    // GIVEN our file
    const text = await encrypted();

    // WHEN the independent decoder opens it
    const theirs = await sopsAgeDecrypt(text, { secretKey: sampleIdentities('staging')[0], fileType: 'yaml' });

    // THEN
    expect(theirs).toEqual(parse(DATABASE_SECRET));
  });

  test('keeps types and empty values like sops (int, float, bool, lists, "")', async () => {
    // GIVEN values of every sops type under an encrypted key, and a list (no index in the path)
    const plain = 'config:\n  port: 5432\n  ratio: 1.5\n  enabled: true\n  empty: ""\n  hosts:\n    - a.example\n    - b.example\nplain_unencrypted: visible\n';

    // WHEN encrypted with sops' default rule (everything but *_unencrypted)
    const result = await encryptSops(plain, { recipients: [recipient], now: () => NOW });
    const text = result.ok ? result.value : '';
    const doc = parse(text);
    const back = await decryptSops(text, { identities: sampleIdentities('staging') });

    // THEN
    expect(doc.config.port).toMatch(/type:int\]$/);
    expect(doc.config.ratio).toMatch(/type:float\]$/);
    expect(doc.config.enabled).toMatch(/type:bool\]$/);
    expect(doc.config.empty).toBe('');
    expect(doc.config.hosts).toHaveLength(2);
    expect(doc.plain_unencrypted).toBe('visible');
    expect(doc.sops).not.toHaveProperty('encrypted_regex');
    expect(back.ok && back.value.data).toEqual(parse(plain));
    expect(back.ok && back.value.values.filter((v) => v.path.join('.') === 'config.hosts').length).toBe(2);
    expect((await sopsAgeDecrypt(text, { secretKey: sampleIdentities('staging')[0], fileType: 'yaml' })).config.port).toBe(5432);
  });

  test('mac_only_encrypted: the MAC covers only encrypted values', async () => {
    // GIVEN a file whose MAC ignores plain values
    const result = await encryptSops(DATABASE_SECRET, { recipients: [recipient], encryptedRegex: ENCRYPTED_REGEX, macOnlyEncrypted: true, now: () => NOW });
    const text = result.ok ? result.value : '';

    // WHEN a plain value changes
    const relabelled = await decryptSops(text.replace('app: bookstore', 'app: other'), { identities: sampleIdentities('staging') });

    // THEN it still verifies, and the flag is written like sops writes it
    expect(parse(text).sops.mac_only_encrypted).toBe(true);
    expect(relabelled.ok).toBe(true);
  });

  test('injected data key and IVs make value ciphertexts deterministic', async () => {
    // GIVEN a fixed data key and a fixed IV source
    const options = { recipients: [recipient], encryptedRegex: ENCRYPTED_REGEX, now: () => NOW, dataKey: Buffer.alloc(32, 1), randomBytes: (n: number) => Buffer.alloc(n, 2) };

    // WHEN encrypted twice
    const [a, b] = [await encryptSops(DATABASE_SECRET, options), await encryptSops(DATABASE_SECRET, options)];

    // THEN the values (not the age stanza, which age randomizes) are identical
    const values = (r: typeof a) => (r.ok ? JSON.stringify([parse(r.value).stringData, parse(r.value).data, parse(r.value).sops.mac]) : '');
    expect(values(a)).toBe(values(b));
  });

  test('drops comments, which sops would have encrypted', async () => {
    const text = await encrypted(DATABASE_SECRET.replace('stringData:\n', 'stringData:\n  # old password: hunter2\n'));
    expect(text).not.toContain('hunter2');
  });

  test('refuses an already encrypted document and an invalid recipient', async () => {
    const again = await encryptSops(VECTOR.text(), { recipients: [recipient] });
    const badRecipient = await encryptSops(DATABASE_SECRET, { recipients: ['age1nope'] });
    expect(!again.ok && again.problems[0].code).toBe('secrets/sops-already-encrypted');
    expect(!badRecipient.ok && badRecipient.problems[0].code).toBe('secrets/age-recipient-invalid');
  });

  describe('age CLI interoperability', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fleet-sops-'));
    const keyFile = join(dir, 'staging.agekey');
    writeFileSync(keyFile, sampleIdentities('staging').join('\n') + '\n');
    const ageTest = ageCli ? test : test.skip;
    if (!ageCli) console.warn('age CLI not found: skipping the `age -d` interoperability tests (apt-get install age)');

    ageTest('`age -d -i keyfile` unwraps our enc stanza to the same 32-byte data key', async () => {
      // GIVEN our file and the data key our decrypt recovers
      const text = await encrypted();
      const ours = await decryptSops(text, { identities: sampleIdentities('staging') });

      // WHEN the reference age implementation decrypts the stanza
      const enc = parse(text).sops.age[0].enc as string;
      const cli = execFileSync('age', ['-d', '-i', keyFile], { input: enc });

      // THEN
      expect(cli).toHaveLength(32);
      expect(ours.ok && Buffer.from(ours.value.dataKey).equals(cli)).toBe(true);
    });

    ageTest('a data key wrapped by `age -e -a` opens a file our decrypt reads', async () => {
      // GIVEN our file, with its age stanza replaced by one the CLI wrote for the same data key
      const text = await encrypted();
      const ours = await decryptSops(text, { identities: sampleIdentities('staging') });
      const dataKey = ours.ok ? Buffer.from(ours.value.dataKey) : Buffer.alloc(0);
      const cliEnc = execFileSync('age', ['-e', '-a', '-r', recipient], { input: dataKey }).toString();
      const oldEnc = parse(text).sops.age[0].enc as string;
      const indent = (s: string) => s.trimEnd().split('\n').join('\n        ');
      const swapped = text.replace(indent(oldEnc), indent(cliEnc));

      // WHEN
      const result = await decryptSops(swapped, { identities: sampleIdentities('staging') });

      // THEN
      expect(swapped).not.toBe(text);
      expect(result.ok && result.value.data).toEqual(parse(DATABASE_SECRET));
    });
  });
});
