// A SOPS source whose Secret the API server would reject is found at synth, with or without a key.
import { readSecretSource } from '../../src/secrets/secret-source';
import { sourceContentProblems } from '../../src/secrets/source-content';
import { encryptSops } from '../../src/secrets/sops';
import { sampleIdentities, sampleRecipient } from './fixtures';

async function source(manifest: Record<string, unknown>, withKey: boolean) {
  const text = await encryptSops({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, ...manifest }, { recipients: [sampleRecipient('staging')], encryptedRegex: '^(data|stringData)$' });
  if (!text.ok) throw new Error('encrypt failed');
  const read = await readSecretSource(text.value, { identities: withKey ? sampleIdentities('staging') : [], file: 'secrets/staging/s.sops.yaml' });
  if (!read.ok) throw new Error('read failed');
  return read.value;
}

const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('sourceContentProblems', () => {
  test.each([[true], [false]])('keys the API server rejects, with a key: %s', async (withKey) => {
    const found = sourceContentProblems(await source({ stringData: { '..': 'a', '../up': 'b', 'fine.key': 'c' } }, withKey));
    expect(codes(found)).toEqual(['secrets/invalid-key', 'secrets/invalid-key']);
    expect(found[0].place).toMatchObject({ field: 'stringData...', definition: 'secrets/staging/s.sops.yaml' });
  });

  test.each([[true], [false]])('over 1 MiB in total is found from the ciphertext lengths alone too (key: %s)', async (withKey) => {
    const half = 'z'.repeat(520 * 1024);
    expect(codes(sourceContentProblems(await source({ stringData: { a: half, b: half } }, withKey)))).toEqual(['secrets/too-large']);
    const data = Buffer.alloc(1024 * 1024 + 3, 1).toString('base64');
    expect(codes(sourceContentProblems(await source({ data: { a: data } }, withKey)))).toEqual(['secrets/too-large']);
    expect(codes(sourceContentProblems(await source({ stringData: { a: half } }, withKey)))).toEqual([]);
  }, 30_000);

  test('a registry secret must have .dockerconfigjson, and with a key its JSON is checked', async () => {
    expect(codes(sourceContentProblems(await source({ type: 'kubernetes.io/dockerconfigjson', stringData: { config: '{}' } }, false)))).toEqual(['secrets/missing-type-key']);
    const broken = await source({ type: 'kubernetes.io/dockerconfigjson', stringData: { '.dockerconfigjson': '{"auth": 1}' } }, true);
    expect(codes(sourceContentProblems(broken))).toEqual(['secrets/invalid-value']);
    expect(codes(sourceContentProblems(await source({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'c' } }, false)))).toEqual(['secrets/missing-type-key']);
  });
});
