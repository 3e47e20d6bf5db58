import { parse } from 'yaml';
import { readSecretSource, SecretSource } from '../../src/secrets/secret-source';
import { decryptSops, encryptSops } from '../../src/secrets/sops';
import { setSopsValue } from '../../src/secrets/sops-edit';
import { emitSopsSecret, SOURCE_DIGEST_ANNOTATION } from '../../src/secrets/sops-secret-emitter';
import { DATABASE_SECRET, NOW, sampleIdentities, sampleRecipient } from './fixtures';
import { decryptSops as sopsAgeDecrypt } from 'sops-age';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const envIdentities = sampleIdentities('staging');
const clusterRecipient = sampleRecipient('cluster-staging');

async function envFile(): Promise<string> {
  const result = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
  if (!result.ok) throw new Error('fixture did not encrypt');
  return result.value;
}

async function source(text: string, withKey: boolean): Promise<SecretSource> {
  const result = await readSecretSource(text, { identities: withKey ? envIdentities : [], file: 'secrets/staging/database.sops.yaml' });
  if (!result.ok) throw new Error('no source');
  return result.value;
}

function emit(src: SecretSource, previous?: string, recipients = [clusterRecipient]) {
  return emitSopsSecret({ name: 'database', namespace: 'bookstore', source: src, recipients, previous, now: () => NOW, cluster: 'staging' });
}

describe('emitSopsSecret', () => {
  test('re-encrypts the environment secret for the cluster key only', async () => {
    // GIVEN / WHEN
    const emitted = await emit(await source(await envFile(), true));

    // THEN the cluster key opens it (and sops-age agrees); the environment key does not
    const text = emitted.text ?? '';
    const opened = await decryptSops(text, { identities: sampleIdentities('cluster-staging') });
    expect(opened.ok && opened.value.data).toMatchObject({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'database', namespace: 'bookstore', labels: { app: 'bookstore' }, annotations: { [SOURCE_DIGEST_ANNOTATION]: expect.stringMatching(/^sha256:/) } },
      type: 'Opaque',
      data: parse(DATABASE_SECRET).data,
      stringData: parse(DATABASE_SECRET).stringData,
    });
    expect(await sopsAgeDecrypt(text, { secretKey: sampleIdentities('cluster-staging')[0], fileType: 'yaml' })).toMatchObject({ stringData: parse(DATABASE_SECRET).stringData });
    expect((await decryptSops(text, { identities: envIdentities })).ok).toBe(false);
    expect(parse(text).sops.encrypted_regex).toBe('^(data|stringData)$');
    expect(text).not.toContain('s3cr3t');
  });

  test('unchanged source: the committed file is reused byte for byte, even without a key', async () => {
    // GIVEN a committed file
    const env = await envFile();
    const first = await emit(await source(env, true));

    // WHEN synth runs again locally and in CI
    const local = await emit(await source(env, true), first.text);
    const ci = await emit(await source(env, false), first.text);

    // THEN
    expect(local).toEqual({ text: first.text, reused: true, problems: [] });
    expect(ci).toEqual({ text: first.text, reused: true, problems: [] });
  });

  test('a changed value or recipient list is encrypted again', async () => {
    const env = await envFile();
    const first = await emit(await source(env, true));
    const changed = await setSopsValue(env, ['stringData', 'password'], 'rotated-Pa55word', { identities: envIdentities });
    if (!changed.ok) throw new Error('edit failed');

    const newValue = await emit(await source(changed.value, true), first.text);
    const newRecipients = await emit(await source(env, true), first.text, [clusterRecipient, sampleRecipient('cluster-production')]);

    expect(newValue.reused).toBe(false);
    const opened = await decryptSops(newValue.text ?? '', { identities: sampleIdentities('cluster-staging') });
    expect(opened.ok && (opened.value.data.stringData as Record<string, string>).password).toBe('rotated-Pa55word');
    expect(newRecipients.reused).toBe(false);
    expect(parse(newRecipients.text ?? '').sops.age).toHaveLength(2);
  });

  test('a change without a key is a changed-without-key problem', async () => {
    const env = await envFile();
    const first = await emit(await source(env, true));
    const changed = await setSopsValue(env, ['stringData', 'password'], 'rotated-Pa55word', { identities: envIdentities });
    if (!changed.ok) throw new Error('edit failed');

    const result = await emit(await source(changed.value, false), first.text);

    expect(result.text).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: 'secrets/changed-without-key',
        place: expect.objectContaining({ cluster: 'staging', object: 'Secret/bookstore/database', definition: 'secrets/staging/database.sops.yaml' }),
        fix: expect.stringContaining('SOPS_AGE_KEY_FILE'),
      }),
    ]);
  });
});
