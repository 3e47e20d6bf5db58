// `npm run secrets -- set` refuses what the API server or the kubelet would refuse later.
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { secrets, type SecretsIo } from '../../src/commands/secrets';
import { fleet } from '../../src/environments';
import { FleetError } from '../../src/model/problem';
import { keyEnv, sampleRoot } from '../secrets/sample-root';

function io(root: string, value: Buffer | string): SecretsIo {
  return { env: keyEnv(root, true), readValue: async () => Buffer.from(value), print: () => undefined, fleet };
}

async function refusal(root: string, argv: string[], value: Buffer | string): Promise<string[]> {
  try {
    await secrets(argv, root, io(root, value));
  } catch (cause) {
    if (cause instanceof FleetError) return cause.problems.map((p) => p.code);
    throw cause;
  }
  throw new Error('the command succeeded');
}

describe('npm run secrets -- set refuses', () => {
  test.each([['..'], ['.'], ['..config'], ['nested/key'], ['spaced key'], ['x'.repeat(254)]])('the key %j, creating nothing', async (key) => {
    const root = sampleRoot();
    expect(await refusal(root, ['set', 'staging', 'cache', key], 'v')).toEqual(['secrets/invalid-name']);
    expect(existsSync(join(root, 'secrets/staging/cache.sops.yaml'))).toBe(false);
  });

  test('a value over 1 MiB, and an existing secret that would grow over 1 MiB in total', async () => {
    const root = sampleRoot();
    expect(await refusal(root, ['set', 'staging', 'blob', 'big'], Buffer.alloc(1024 * 1024 + 1, 0x61))).toEqual(['secrets/too-large']);
    // Two halves: the first fits, the second would make the Secret exceed the limit.
    const half = Buffer.alloc(600 * 1024, 0x62);
    expect(await secrets(['set', 'staging', 'blob', 'first'], root, io(root, half))).toBe(0);
    const before = readFileSync(join(root, 'secrets/staging/blob.sops.yaml'), 'utf8');
    expect(await refusal(root, ['set', 'staging', 'blob', 'second'], half)).toEqual(['secrets/too-large']);
    expect(readFileSync(join(root, 'secrets/staging/blob.sops.yaml'), 'utf8')).toBe(before);
  }, 60_000);

  test.each([['not json'], ['["a"]'], ['{"registry":{}}'], ['{"auths":"x"}']])('the registry credential %j', async (value) => {
    const root = sampleRoot();
    expect(await refusal(root, ['set', 'production', 'quay', '.dockerconfigjson'], value)).toEqual(['secrets/invalid-value']);
  });

  test('a non-JSON value for the .dockerconfigjson key of an existing registry secret', async () => {
    const root = sampleRoot();
    expect(await refusal(root, ['set', 'staging', 'dockerhub', '.dockerconfigjson'], '{"auths": {')).toEqual(['secrets/invalid-value']);
  });

  test.each([['kubernetes.io/whatever'], ['opaque'], ['bootstrap.kubernetes.io/token']])('the unknown --type %s', async (type) => {
    const root = sampleRoot();
    expect(await refusal(root, ['set', 'staging', 'api', 'token', '--type', type], 'v')).toEqual(['secrets/unknown-type']);
  });

  test('while valid content of each kind is accepted', async () => {
    const root = sampleRoot();
    expect(await secrets(['set', 'production', 'quay', '.dockerconfigjson'], root, io(root, '{"auths":{"quay.io":{"auth":"eDp5"}}}'))).toBe(0);
    expect(await secrets(['set', 'staging', 'api', 'a..b', '--type', 'kubernetes.io/basic-auth'], root, io(root, 'v'))).toBe(0);
  }, 60_000);
});
