import { parse } from 'yaml';
import { decryptSops, encryptSops } from '../../src/secrets/sops';
import { listSopsKeys, removeSopsValue, rotateSopsRecipients, setSopsValue } from '../../src/secrets/sops-edit';
import { DATABASE_SECRET, NOW, sampleIdentities, sampleRecipient, VECTOR } from './fixtures';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const identities = sampleIdentities('staging');
const LATER = new Date('2030-07-01T08:30:00Z');

async function encryptedDatabaseSecret(): Promise<string> {
  const result = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
  if (!result.ok) throw new Error('fixture did not encrypt');
  return result.value;
}

async function plaintextOf(text: string, ids = identities): Promise<Record<string, unknown>> {
  const result = await decryptSops(text, { identities: ids });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.code}: ${p.message}`).join('\n'));
  return result.value.data;
}

/** The lines of `after` that are not in `before` (a poor man's diff). */
function changedLines(before: string, after: string): string[] {
  const old = new Set(before.split('\n'));
  return after.split('\n').filter((line) => !old.has(line));
}

describe('listSopsKeys', () => {
  test('lists every key path without a key and without values', () => {
    // GIVEN / WHEN
    const result = listSopsKeys(VECTOR.text());

    // THEN
    expect(result.ok && result.value).toEqual([
      { path: ['apiVersion'], encrypted: false },
      { path: ['kind'], encrypted: false },
      { path: ['metadata', 'name'], encrypted: false },
      { path: ['metadata', 'namespace'], encrypted: false },
      { path: ['type'], encrypted: false },
      { path: ['stringData', 'key'], encrypted: true },
    ]);
  });

  test('a file that is not SOPS is a problem', () => {
    const result = listSopsKeys('a: 1\n', { file: 'x.yaml' });
    expect(!result.ok && result.problems[0]).toMatchObject({ code: 'secrets/sops-malformed', place: { definition: 'x.yaml' } });
  });
});

describe('setSopsValue', () => {
  test('re-encrypts only that value; other ciphertexts stay byte-identical; MAC and lastmodified updated', async () => {
    // GIVEN
    const before = await encryptedDatabaseSecret();

    // WHEN
    const result = await setSopsValue(before, ['stringData', 'password'], 'rotated-Pa55word', { identities, now: () => LATER });

    // THEN only the password, lastmodified and mac lines changed
    const after = result.ok ? result.value : '';
    expect(changedLines(before, after).map((line) => line.trim().split(':')[0])).toEqual(['password', 'lastmodified', 'mac']);
    expect(parse(after).sops.lastmodified).toBe('2030-07-01T08:30:00Z');
    const data = await plaintextOf(after);
    expect(data.stringData).toEqual({ username: 'bookstore-app', password: 'rotated-Pa55word' });
    expect(data.data).toEqual(parse(DATABASE_SECRET).data);
  });

  test('adds a new key under an encrypted field', async () => {
    const before = await encryptedDatabaseSecret();
    const result = await setSopsValue(before, ['stringData', 'port'], 5432, { identities, now: () => LATER });
    const after = result.ok ? result.value : '';
    expect(parse(after).stringData.port).toMatch(/^ENC\[.*type:int\]$/);
    expect((await plaintextOf(after)).stringData).toMatchObject({ port: 5432 });
    expect(changedLines(before, after)).toHaveLength(3);
  });

  test('setting the same value keeps the file unchanged', async () => {
    const before = await encryptedDatabaseSecret();
    const result = await setSopsValue(before, ['stringData', 'username'], 'bookstore-app', { identities, now: () => LATER });
    expect(result.ok && result.value).toBe(before);
  });

  test('edits a file written by the real sops and keeps it readable by sops-age', async () => {
    // GIVEN the sops 3.10.2 vector
    const result = await setSopsValue(VECTOR.text(), ['stringData', 'key'], 'new-value-1234', { identities: VECTOR.identities(), now: () => LATER });
    const after = result.ok ? result.value : '';

    // THEN everything but the value and the MAC is untouched
    expect(changedLines(VECTOR.text(), after).map((line) => line.trim().split(':')[0])).toEqual(['key', 'lastmodified', 'mac']);
    expect((await plaintextOf(after, VECTOR.identities())).stringData).toEqual({ key: 'new-value-1234' });
  });

  test('refuses a path the encryption rule leaves in clear', async () => {
    const result = await setSopsValue(await encryptedDatabaseSecret(), ['metadata', 'password'], 'oops', { identities, file: 'secrets/staging/database.sops.yaml' });
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: 'secrets/sops-unencrypted-path',
      place: { definition: 'secrets/staging/database.sops.yaml', field: 'metadata.password' },
    });
  });

  test('refuses to edit a tampered file', async () => {
    const tampered = (await encryptedDatabaseSecret()).replace('namespace: bookstore', 'namespace: other');
    const result = await setSopsValue(tampered, ['stringData', 'password'], 'x', { identities });
    expect(!result.ok && result.problems[0].code).toBe('secrets/sops-mac-mismatch');
  });

  test('needs a key that opens the file', async () => {
    const result = await setSopsValue(await encryptedDatabaseSecret(), ['stringData', 'password'], 'x', { identities: sampleIdentities('production') });
    expect(!result.ok && result.problems[0].code).toBe('secrets/sops-no-identity');
  });
});

describe('removeSopsValue', () => {
  test('removes one key and re-MACs; the rest is untouched', async () => {
    // GIVEN
    const before = await encryptedDatabaseSecret();

    // WHEN
    const result = await removeSopsValue(before, ['stringData', 'username'], { identities, now: () => LATER });

    // THEN
    const after = result.ok ? result.value : '';
    expect(changedLines(before, after).map((line) => line.trim().split(':')[0])).toEqual(['lastmodified', 'mac']);
    expect(after).not.toContain('username:');
    expect((await plaintextOf(after)).stringData).toEqual({ password: 's3cr3t-Pa55word-for-tests' });
  });

  test('removing a missing key is a problem', async () => {
    const result = await removeSopsValue(await encryptedDatabaseSecret(), ['stringData', 'nope'], { identities });
    expect(!result.ok && result.problems[0].code).toBe('secrets/sops-key-missing');
  });
});

describe('rotateSopsRecipients', () => {
  test('re-wraps the same data key for the new recipients; values and MAC unchanged', async () => {
    // GIVEN a file for staging
    const before = await encryptedDatabaseSecret();
    const recipients = [sampleRecipient('production'), sampleRecipient('cluster-production')];

    // WHEN rotated to production's keys
    const result = await rotateSopsRecipients(before, recipients, { identities });
    const after = result.ok ? result.value : '';

    // THEN the new keys open it, the old one no longer does, and only the sops.age block changed
    const doc = parse(after);
    expect(doc.sops.age.map((a: { recipient: string }) => a.recipient)).toEqual(recipients);
    expect(doc.sops.mac).toBe(parse(before).sops.mac);
    expect(doc.sops.lastmodified).toBe(parse(before).sops.lastmodified);
    expect(doc.stringData).toEqual(parse(before).stringData);
    expect(await plaintextOf(after, sampleIdentities('cluster-production'))).toEqual(parse(DATABASE_SECRET));
    const old = await decryptSops(after, { identities });
    expect(!old.ok && old.problems[0].code).toBe('secrets/sops-no-identity');
    const original = await decryptSops(before, { identities });
    const rotated = await decryptSops(after, { identities: sampleIdentities('production') });
    expect(original.ok && rotated.ok && Buffer.from(rotated.value.dataKey).equals(Buffer.from(original.value.dataKey))).toBe(true);
  });
});
