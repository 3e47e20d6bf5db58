import { KubeObject } from '../../src/model/kube-object';
import { SealingScope } from '../../src/secrets/hybrid-encryption';
import { SealingCertificate, loadSealingCertificate } from '../../src/secrets/sealing-certificate';
import {
  sealSecret,
  SEALED_WITH_ANNOTATION,
  SOURCE_DIGESTS_ANNOTATION,
  unsealSecret,
  VALUE_FINGERPRINTS_ANNOTATION,
} from '../../src/secrets/sealed-secrets';
import { readSecretSource, SecretSource } from '../../src/secrets/secret-source';
import { encryptSops } from '../../src/secrets/sops';
import { removeSopsValue, setSopsValue } from '../../src/secrets/sops-edit';
import { DATABASE_SECRET, fixture, NOW, readRepoFile, sampleIdentities, sampleRecipient } from './fixtures';

// Runs age / SOPS / sealing crypto: on a busy 2-core machine one test can take far longer than jest's 5 s default.
jest.setTimeout(120_000);

const identities = sampleIdentities('staging');
const stagingKey = fixture('staging-sealed-secrets-key.pem');

function certificate(cluster: 'staging' | 'production'): SealingCertificate {
  const cert = loadSealingCertificate(`secrets/clusters/${cluster}/sealed-secrets-cert.pem`, { readFile: readRepoFile, now: NOW });
  if (!cert.ok) throw new Error('sample certificate did not load');
  return cert.value;
}

async function sopsFile(): Promise<string> {
  const result = await encryptSops(DATABASE_SECRET, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$', now: () => NOW });
  if (!result.ok) throw new Error('fixture did not encrypt');
  return result.value;
}

async function source(text: string, withKey: boolean): Promise<SecretSource> {
  const result = await readSecretSource(text, { identities: withKey ? identities : [], file: 'secrets/staging/database.sops.yaml' });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.value;
}

function seal(src: SecretSource, options: { previous?: KubeObject; scope?: SealingScope; cluster?: 'staging' | 'production' } = {}) {
  return sealSecret({ name: 'database', namespace: 'bookstore', source: src, certificate: certificate(options.cluster ?? 'staging'), ...options, cluster: options.cluster ?? 'staging' });
}

function sealed(result: ReturnType<typeof sealSecret>): KubeObject {
  if (!result.object) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.object;
}

function encryptedData(object: KubeObject): Record<string, string> {
  return (object.spec as { encryptedData: Record<string, string> }).encryptedData;
}

describe('sealSecret', () => {
  test('builds a kubeseal-compatible SealedSecret that the controller key unseals', async () => {
    // GIVEN a SOPS secret and the staging certificate
    const src = await source(await sopsFile(), true);

    // WHEN
    const object = sealed(seal(src));

    // THEN
    expect(object).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'database', namespace: 'bookstore' },
      spec: { template: { metadata: { name: 'database', namespace: 'bookstore', labels: { app: 'bookstore' } }, type: 'Opaque' } },
    });
    expect(Object.keys(encryptedData(object))).toEqual(['password', 'tls.key', 'username']);
    const values = unsealSecret(object, stagingKey);
    expect(values.ok && Object.fromEntries(Object.entries(values.value).map(([k, v]) => [k, v.toString()]))).toEqual({
      password: 's3cr3t-Pa55word-for-tests',
      'tls.key': '-----BEGIN TEST KEY-----\nnot-a-real-key\n',
      username: 'bookstore-app',
    });
    expect(JSON.stringify(object)).not.toContain('s3cr3t');
  });

  test.each<[SealingScope, Record<string, string>]>([
    ['strict', {}],
    ['namespace-wide', { 'sealedsecrets.bitnami.com/namespace-wide': 'true' }],
    ['cluster-wide', { 'sealedsecrets.bitnami.com/cluster-wide': 'true' }],
  ])('%s scope: kubeseal annotations on the SealedSecret and its template, and it unseals', async (scope, annotations) => {
    // GIVEN / WHEN
    const object = sealed(seal(await source(await sopsFile(), true), { scope }));

    // THEN
    const metadata = object.metadata.annotations ?? {};
    const template = (object.spec as { template: { metadata: { annotations?: Record<string, string> } } }).template.metadata.annotations ?? {};
    for (const [key, value] of Object.entries(annotations)) {
      expect(metadata[key]).toBe(value);
      expect(template[key]).toBe(value);
    }
    expect(Object.keys(metadata).filter((k) => k.startsWith('sealedsecrets.bitnami.com/'))).toEqual(Object.keys(annotations));
    expect(unsealSecret(object, stagingKey).ok).toBe(true);
  });

  test('records what it sealed from, revealing nothing about the values', async () => {
    const object = sealed(seal(await source(await sopsFile(), true)));
    const annotations = object.metadata.annotations ?? {};
    expect(annotations[SEALED_WITH_ANNOTATION]).toBe(certificate('staging').fingerprint);
    expect(Object.keys(JSON.parse(annotations[SOURCE_DIGESTS_ANNOTATION]))).toEqual(['password', 'tls.key', 'username']);
    expect(Object.values(JSON.parse(annotations[VALUE_FINGERPRINTS_ANNOTATION]))).toEqual([
      expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
      expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
      expect.stringMatching(/^hmac-sha256:[0-9a-f]{64}$/),
    ]);
  });

  describe('no churn', () => {
    test('unchanged source: the previous object is returned as is, with or without a key', async () => {
      // GIVEN a committed SealedSecret
      const text = await sopsFile();
      const previous = sealed(seal(await source(text, true)));

      // WHEN synth runs again, locally (key) and in CI (no key)
      const local = seal(await source(text, true), { previous });
      const ci = seal(await source(text, false), { previous });

      // THEN the committed object is reused byte for byte
      expect(local).toEqual({ object: previous, problems: [] });
      expect(local.object).toBe(previous);
      expect(ci.object).toBe(previous);
      expect(ci.problems).toEqual([]);
    });

    test('a changed value is sealed again (with a key); the others keep their ciphertext', async () => {
      // GIVEN the password changed in the SOPS file
      const text = await sopsFile();
      const previous = sealed(seal(await source(text, true)));
      const changed = await setSopsValue(text, ['stringData', 'password'], 'rotated-Pa55word', { identities, now: () => NOW });
      if (!changed.ok) throw new Error('edit failed');

      // WHEN
      const object = sealed(seal(await source(changed.value, true), { previous }));

      // THEN
      const before = encryptedData(previous);
      const after = encryptedData(object);
      expect(after.password).not.toBe(before.password);
      expect(after.username).toBe(before.username);
      expect(after['tls.key']).toBe(before['tls.key']);
      const values = unsealSecret(object, stagingKey);
      expect(values.ok && values.value.password.toString()).toBe('rotated-Pa55word');
    });

    test('same value under a new ciphertext: reused thanks to the keyed fingerprint', async () => {
      // GIVEN the password removed and set again to the same value: new ENC[…], same plaintext
      const text = await sopsFile();
      const previous = sealed(seal(await source(text, true)));
      const removed = await removeSopsValue(text, ['stringData', 'password'], { identities });
      const again = removed.ok ? await setSopsValue(removed.value, ['stringData', 'password'], 's3cr3t-Pa55word-for-tests', { identities }) : removed;
      if (!again.ok) throw new Error('edit failed');

      // WHEN
      const object = sealed(seal(await source(again.value, true), { previous }));

      // THEN the ciphertext is reused; only the recorded source digest moved
      expect(encryptedData(object)).toEqual(encryptedData(previous));
      const digests = (o: KubeObject) => JSON.parse(o.metadata.annotations?.[SOURCE_DIGESTS_ANNOTATION] ?? '{}');
      expect(digests(object).password).not.toBe(digests(previous).password);
      expect(digests(object).username).toBe(digests(previous).username);
    });

    test('a changed value without a key (CI) is a changed-without-key problem naming secret and key', async () => {
      // GIVEN
      const text = await sopsFile();
      const previous = sealed(seal(await source(text, true)));
      const changed = await setSopsValue(text, ['stringData', 'password'], 'rotated-Pa55word', { identities });
      if (!changed.ok) throw new Error('edit failed');

      // WHEN
      const result = seal(await source(changed.value, false), { previous });

      // THEN
      expect(result.object).toBeUndefined();
      expect(result.problems).toEqual([
        expect.objectContaining({
          code: 'secrets/changed-without-key',
          place: {
            cluster: 'staging',
            namespace: 'bookstore',
            object: 'SealedSecret/bookstore/database',
            field: 'spec.encryptedData.password',
            definition: 'secrets/staging/database.sops.yaml',
          },
          message: expect.stringContaining('"password"'),
          fix: 'run synth with SOPS_AGE_KEY_FILE set to the environment key, then commit the new SealedSecret',
        }),
      ]);
      expect(JSON.stringify(result.problems)).not.toContain('rotated');
    });

    test('a new certificate reseals everything with a key, and is a problem without one', async () => {
      const text = await sopsFile();
      const previous = sealed(seal(await source(text, true)));

      const withKey = sealed(seal(await source(text, true), { previous, cluster: 'production' }));
      const withoutKey = seal(await source(text, false), { previous, cluster: 'production' });

      for (const key of ['password', 'tls.key', 'username']) expect(encryptedData(withKey)[key]).not.toBe(encryptedData(previous)[key]);
      expect(unsealSecret(withKey, fixture('production-sealed-secrets-key.pem')).ok).toBe(true);
      expect(withoutKey.problems).toHaveLength(3);
      expect(withoutKey.problems[0].message).toContain('the sealing certificate changed');
    });

    test('a new scope needs resealing', async () => {
      const text = await sopsFile();
      const previous = sealed(seal(await source(text, true)));
      const result = seal(await source(text, false), { previous, scope: 'namespace-wide' });
      expect(result.problems[0].message).toContain('scope changed from strict to namespace-wide');
    });

    test('a first seal without a key is a problem', async () => {
      const result = seal(await source(await sopsFile(), false));
      expect(result.problems.map((p) => p.code)).toEqual(['secrets/changed-without-key', 'secrets/changed-without-key', 'secrets/changed-without-key']);
    });
  });
});
