import { findKnownValues, scanForPlaintextSecrets } from '../../src/secrets/leak-scan';
import { encryptSops } from '../../src/secrets/sops';
import { DATABASE_SECRET, NOW, sampleRecipient, VECTOR } from './fixtures';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

describe('scanForPlaintextSecrets', () => {
  test('flags a plain Secret with data, in a multi-document file', () => {
    // GIVEN
    const files = {
      'dist/bookstore/all.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: b\n---\n${DATABASE_SECRET}`,
    };

    // WHEN
    const problems = scanForPlaintextSecrets(files);

    // THEN
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'secrets/plaintext-secret',
        place: { object: 'Secret/bookstore/database', field: 'data.tls.key', definition: 'dist/bookstore/all.yaml' },
      }),
    ]);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t');
  });

  test('accepts SOPS-encrypted Secrets, Secrets without data, and non-YAML files', async () => {
    const encrypted = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
    const files = {
      'secrets/staging/database.sops.yaml': encrypted.ok ? encrypted.value : '',
      'secrets/vector.sops.yaml': VECTOR.text(),
      'dist/empty-secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: filled-by-controller\ntype: kubernetes.io/tls\n',
      'README.md': DATABASE_SECRET,
    };
    expect(scanForPlaintextSecrets(files)).toEqual([]);
  });

  test('a sops file with one value left in clear is still flagged', async () => {
    const encrypted = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^data$', now: () => NOW });
    const problems = scanForPlaintextSecrets({ 'secrets/staging/database.sops.yaml': encrypted.ok ? encrypted.value : '' });
    expect(problems.map((p) => p.place.field)).toEqual(['stringData.username']);
  });

  test('looks inside kind: List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: x\n    data:\n      k: dg==\n`;
    expect(scanForPlaintextSecrets({ 'list.yaml': list }).map((p) => p.place.object)).toEqual(['Secret/x']);
  });
});

describe('findKnownValues', () => {
  test('finds known plaintexts raw or base64-encoded, and reports labels only', () => {
    // GIVEN
    const secrets = [
      { label: 'bookstore/database password', value: 's3cr3t-Pa55word-for-tests' },
      { label: 'bookstore/database tls.key', value: '-----BEGIN TEST KEY-----\nnot-a-real-key\n' },
      { label: 'unused', value: 'never-appears-anywhere' },
    ];

    // WHEN
    const findings = findKnownValues({ 'dist/a.yaml': DATABASE_SECRET, 'dist/b.yaml': 'nothing here' }, secrets);

    // THEN
    expect(findings).toEqual([
      { file: 'dist/a.yaml', secret: 'bookstore/database password', encoding: 'raw' },
      { file: 'dist/a.yaml', secret: 'bookstore/database tls.key', encoding: 'base64' },
    ]);
  });

  test('nothing found in encrypted output; short values can be skipped', async () => {
    const encrypted = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
    const files = { 'secrets/staging/database.sops.yaml': encrypted.ok ? encrypted.value : '' };
    expect(findKnownValues(files, [{ label: 'password', value: 's3cr3t-Pa55word-for-tests' }])).toEqual([]);
    expect(findKnownValues({ 'x.yaml': 'replicas: 1' }, [{ label: 'pin', value: '1' }], { minLength: 4 })).toEqual([]);
  });
});
