import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { setSecretValue } from '../../src/commands/lib/secret-files';
import { encryptSops, decryptSops } from '../../src/secrets/sops';
import { parseSopsConfig } from '../../src/secrets/sops-config';
import { rotateSopsRecipients, setSopsValue } from '../../src/secrets/sops-edit';
import { readSecretSource } from '../../src/secrets/secret-source';
import { DATABASE_SECRET, NOW, sampleIdentities, sampleRecipient } from './fixtures';

// An AWS KMS entry as `sops --kms=<arn> --encrypt` writes it (getsops/sops stores/stores.go,
// `kmskey`: arn, role, context, created_at, enc, aws_profile). The enc is a SAMPLE blob: no AWS
// key can unwrap it, and none needs to here — fleet never unwraps KMS entries.
const ARN = 'arn:aws:kms:us-east-2:773713188930:key/0d7a1b2c-3e4f-4a5b-8c6d-7e8f9a0b1c2d';
const SAMPLE_ENC = Buffer.from('SAMPLE-KMS-CIPHERTEXT-BLOB-not-a-real-wrapped-key').toString('base64');
const KMS_BLOCK = ['  kms:', `    - arn: ${ARN}`, '      created_at: "2030-06-01T12:00:00Z"', `      enc: ${SAMPLE_ENC}`, '      aws_profile: ""'];

const identities = sampleIdentities('staging');

/** A SOPS Secret for the staging age key, with a KMS entry put first like sops orders them. */
async function ageAndKmsFile(entry: Record<string, unknown> = { arn: ARN, created_at: '2030-06-01T12:00:00Z', enc: SAMPLE_ENC, aws_profile: '' }): Promise<string> {
  const encrypted = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
  if (!encrypted.ok) throw new Error('fixture did not encrypt');
  const doc = parseDocument(encrypted.value);
  const sops = doc.get('sops', true);
  if (!isMap(sops)) throw new Error('no sops block');
  sops.items.unshift(doc.createPair('kms', [entry]));
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 0 }).replace('created_at: 2030-06-01T12:00:00Z', 'created_at: "2030-06-01T12:00:00Z"');
}

/** The same file with its age entries removed: only AWS could open it. */
function kmsOnly(text: string): string {
  const doc = parseDocument(text);
  doc.deleteIn(['sops', 'age']);
  return doc.toString({ indent: 2, indentSeq: true, lineWidth: 0 });
}

describe('SOPS files with AWS KMS master keys', () => {
  test('a file with age and kms recipients opens with the age key alone', async () => {
    // GIVEN
    const text = await ageAndKmsFile();

    // WHEN
    const opened = await decryptSops(text, { identities });

    // THEN
    expect(opened.ok && (opened.value.data as { stringData: Record<string, string> }).stringData.username).toBe('bookstore-app');
  });

  test('a kms-only file is read keyless: ciphertexts only, no problem', async () => {
    // GIVEN
    const text = kmsOnly(await ageAndKmsFile());

    // WHEN
    const keyless = await readSecretSource(text, { identities: [] });
    const withWrongKey = await readSecretSource(text, { identities });

    // THEN
    for (const result of [keyless, withWrongKey]) {
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.value.entries.map((e) => [e.key, e.ciphertext.startsWith('ENC[AES256_GCM,'), e.value])).toEqual([
        ['password', true, undefined],
        ['tls.key', true, undefined],
        ['username', true, undefined],
      ]);
    }
  });

  test('editing and rotating with the age key keep the kms entry byte for byte, in sops order', async () => {
    // GIVEN
    const text = await ageAndKmsFile();

    // WHEN
    const edited = await setSopsValue(text, ['stringData', 'username'], 'renamed-app', { identities, now: () => NOW });
    const rotated = edited.ok ? await rotateSopsRecipients(edited.value, [sampleRecipient('staging'), sampleRecipient('production')], { identities }) : edited;

    // THEN
    expect(rotated.ok).toBe(true);
    if (!rotated.ok) return;
    const lines = rotated.value.split('\n');
    const start = lines.indexOf('sops:');
    expect(lines.slice(start + 1, start + 1 + KMS_BLOCK.length)).toEqual(KMS_BLOCK);
    expect(lines[start + 1 + KMS_BLOCK.length]).toBe('  age:');
    const reopened = await decryptSops(rotated.value, { identities: sampleIdentities('production') });
    expect(reopened.ok && (reopened.value.data as { stringData: Record<string, string> }).stringData.username).toBe('renamed-app');
  });

  test.each([
    ['an ARN that is not a KMS key', { arn: 'arn:aws:iam::773713188930:role/sops', created_at: '2030-06-01T12:00:00Z', enc: SAMPLE_ENC, aws_profile: '' }, /sops\.kms\[0\].*arn is not an AWS KMS key ARN/],
    ['a created_at sops cannot parse', { arn: ARN, created_at: 'yesterday', enc: SAMPLE_ENC, aws_profile: '' }, /sops\.kms\[0\].*created_at is not an RFC 3339 time/],
    ['no ciphertext', { arn: ARN, created_at: '2030-06-01T12:00:00Z', aws_profile: '' }, /sops\.kms\[0\].*enc is not a base64 KMS ciphertext/],
  ])('a kms entry with %s is a clear problem, even without a key', async (_what, entry, message) => {
    // GIVEN
    const text = await ageAndKmsFile(entry);

    // WHEN
    const result = await readSecretSource(text, { identities: [], file: 'secrets/staging/database.sops.yaml' });

    // THEN
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([expect.objectContaining({ code: 'secrets/sops-malformed', message: expect.stringMatching(message) })]);
  });
});

describe('.sops.yaml kms creation rules', () => {
  test('kms ARNs are read from a comma-separated string or a list, alongside age', () => {
    // GIVEN
    const config = `creation_rules:
  - path_regex: secrets/staging/.*
    kms: ${ARN},arn:aws:kms:us-east-2:773713188930:alias/flux-sops
    age: age1first
  - kms: [${ARN}]
`;

    // WHEN
    const rules = parseSopsConfig(config);

    // THEN
    expect(rules.ok && rules.value.map((r) => [r.kmsArns, r.ageRecipients])).toEqual([
      [[ARN, 'arn:aws:kms:us-east-2:773713188930:alias/flux-sops'], ['age1first']],
      [[ARN], []],
    ]);
  });

  test('a kms value that is not a KMS key ARN is refused', () => {
    // GIVEN
    const config = 'creation_rules:\n  - kms: "<ARN>"\n';

    // WHEN
    const rules = parseSopsConfig(config);

    // THEN
    expect(!rules.ok && rules.problems.map((p) => [p.code, p.place.field, p.message])).toEqual([['secrets/sops-config-invalid', 'creation_rules[0].kms', '"<ARN>" is not an AWS KMS key ARN']]);
  });

  test('fleet refuses to create a file for a kms rule, because only AWS can wrap its data key', async () => {
    // GIVEN
    const root = mkdtempSync(join(tmpdir(), 'fleet-kms-'));
    writeFileSync(join(root, '.sops.yaml'), `creation_rules:\n  - path_regex: secrets/staging/.*\\.sops\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    kms: ${ARN}\n    age: ${sampleRecipient('staging')}\n`);

    // WHEN
    const result = await setSecretValue({ root, identities }, 'staging', 'docker-hub', 'password', Buffer.from('sample-not-a-password'));

    // THEN
    expect(!result.ok && result.problems.map((p) => [p.code, p.message])).toEqual([
      ['secrets/kms-needs-sops-cli', `the creation rule for secrets/staging/docker-hub.sops.yaml names AWS KMS key ${ARN}; only AWS can wrap the data key for it, so fleet cannot create this file`],
    ]);
  });
});
