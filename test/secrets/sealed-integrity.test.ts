// What a key holder's synth does with a swapped ciphertext, and what keyless synth does with a
// source whose plain metadata changed.
import { sopsClusterSecret } from '../../src/render/secrets/sops-cluster-secret';
import { toYaml } from '../../src/render/yaml';
import { sealSecret } from '../../src/secrets/sealed-secrets';
import { readSecretSource } from '../../src/secrets/secret-source';
import { encryptSops } from '../../src/secrets/sops';
import { SEALED_MACS_ANNOTATION } from '../../src/secrets/sealed-integrity';
import { sampleIdentities, sampleRecipient } from './fixtures';
import { productionCertificate, swapCiphertext } from './swap-fixtures';

async function sourceText(type: string): Promise<string> {
  const text = await encryptSops({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'payments', labels: { team: 'billing' } }, type, stringData: { user: 'svc', password: 'pw-1' } }, { recipients: [sampleRecipient('production')], encryptedRegex: '^(data|stringData)$' });
  if (!text.ok) throw new Error('encrypt');
  return text.value;
}

async function read(text: string, withKey: boolean) {
  return readSecretSource(text, { identities: withKey ? sampleIdentities('production') : [], file: 'secrets/production/payments.sops.yaml' });
}

function seal(source: Awaited<ReturnType<typeof read>>, previous?: Parameters<typeof sealSecret>[0]['previous']) {
  if (!source.ok) throw new Error('source');
  return sealSecret({ name: 'payments', namespace: 'billing', source: source.value, certificate: productionCertificate(), previous, cluster: 'prod' });
}

describe('sealed secret integrity', () => {
  test('a key holder reseals a swapped ciphertext and warns; the untouched key keeps its ciphertext', async () => {
    const text = await sourceText('Opaque');
    const first = seal(await read(text, true)).object!;
    expect(first.metadata.annotations?.[SEALED_MACS_ANNOTATION]).toMatch(/"password":"hmac-sha256:[0-9a-f]{64}"/);
    const swapped = swapCiphertext(first, 'password', 'injected');

    // WITHOUT a key the swap is invisible to synth (check and diff catch it against the base)
    expect(seal(await read(text, false), swapped).object).toBe(swapped);

    // WITH the key the MAC does not verify: sealed again from the source
    const resealed = seal(await read(text, true), swapped);
    const data = (o: typeof first) => (o.spec as { encryptedData: Record<string, string> }).encryptedData;
    expect(resealed.problems.map((p) => [p.code, p.severity, p.place.field])).toEqual([['secrets/sealed-ciphertext-replaced', 'warning', 'spec.encryptedData.password']]);
    expect(data(resealed.object!).password).not.toBe(data(swapped).password);
    expect(data(resealed.object!).user).toBe(data(first).user);
  }, 30_000);

  test('keyless synth does not carry a changed type (or labels) of the source into the SealedSecret; with the key the MAC rejects the tampering', async () => {
    const text = await sourceText('Opaque');
    const previous = seal(await read(text, true)).object!;
    for (const tampered of [text.replace('type: Opaque', 'type: kubernetes.io/basic-auth'), text.replace('team: billing', 'team: attacker')]) {
      const keyless = seal(await read(tampered, false), previous);
      expect(keyless.object).toBeUndefined();
      expect(keyless.problems.map((p) => [p.code, p.place.field])).toEqual([['secrets/changed-without-key', 'spec.template']]);
      const keyed = await read(tampered, true);
      expect(keyed.ok ? [] : keyed.problems.map((p) => p.code)).toEqual(['secrets/sops-mac-mismatch']);
    }
  }, 30_000);

  test('a legitimate metadata change made with the key is sealed by the key holder', async () => {
    const previous = seal(await read(await sourceText('Opaque'), true)).object!;
    const changed = seal(await read(await sourceText('kubernetes.io/basic-auth'), true), previous);
    expect(changed.problems).toEqual([]);
    expect((changed.object!.spec as { template: { type: string } }).template.type).toBe('kubernetes.io/basic-auth');
  }, 30_000);
});

describe('the sops backend', () => {
  test('keyless synth does not carry a changed type of the source into the cluster Secret either', async () => {
    const text = await sourceText('Opaque');
    const keyed = await read(text, true);
    if (!keyed.ok) throw new Error('source');
    const first = await sopsClusterSecret({ name: 'payments', namespace: 'billing', source: keyed.value, recipients: [sampleRecipient('cluster-production')], cluster: 'prod' });
    const previous = toYaml({ ...first.object!, metadata: { ...first.object!.metadata, namespace: undefined } });
    const tampered = await read(text.replace('type: Opaque', 'type: kubernetes.io/tls'), false);
    if (!tampered.ok) throw new Error('source');
    const again = await sopsClusterSecret({ name: 'payments', namespace: 'billing', source: tampered.value, recipients: [sampleRecipient('cluster-production')], previous, cluster: 'prod' });
    expect([again.object, again.problems.map((p) => p.code)]).toEqual([undefined, ['secrets/changed-without-key']]);
    // … while the untampered source reuses the committed file without a key
    const untouched = await read(text, false);
    if (!untouched.ok) throw new Error('source');
    expect((await sopsClusterSecret({ name: 'payments', namespace: 'billing', source: untouched.value, recipients: [sampleRecipient('cluster-production')], previous, cluster: 'prod' })).renewed).toBe(false);
  }, 30_000);
});
