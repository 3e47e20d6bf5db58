// `npm run check` compares committed SealedSecrets with the base revision: a ciphertext swapped
// under an unchanged source is an error, a legitimate reseal is not.
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import type { KubeObject } from '../../src/model/kube-object';
import { sealedSecretsSinceBase } from '../../src/render/secrets/sealed-since-base';
import { GENERATED_MARKER, toYaml } from '../../src/render/yaml';
import { sealedPayments, swapCiphertext } from '../secrets/swap-fixtures';

const FILE = 'clusters/prod/apps/billing/secrets/sealed-secret-payments.yaml';

function write(root: string, object: KubeObject): void {
  const { namespace: _namespace, ...metadata } = object.metadata;
  mkdirSync(join(root, 'clusters/prod/apps/billing/secrets'), { recursive: true });
  writeFileSync(join(root, FILE), `${GENERATED_MARKER}\n${toYaml({ ...object, metadata })}`);
}

function git(root: string, ...args: string[]): void {
  execFileSync('git', ['-C', root, '-c', 'user.email=t@example.test', '-c', 'user.name=t', ...args], { stdio: 'ignore' });
}

async function repository(values: Record<string, string>): Promise<{ root: string; object: KubeObject }> {
  const root = mkdtempSync(join(tmpdir(), 'fleet-sealed-base-'));
  const object = await sealedPayments(values);
  write(root, object);
  git(root, 'init', '-q');
  git(root, 'add', '.');
  git(root, 'commit', '-qm', 'base');
  return { root, object };
}

describe('SealedSecrets since the base revision', () => {
  test('a swapped ciphertext not yet committed is an error against HEAD, naming cluster, namespace, object and key', async () => {
    const { root, object } = await repository({ password: 'p-1', user: 'u-1' });
    expect(sealedSecretsSinceBase(root, {})).toEqual([]);
    write(root, swapCiphertext(object, 'user', 'root'));
    const [problem, ...rest] = sealedSecretsSinceBase(root, {});
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ code: 'secrets/sealed-ciphertext-swapped', severity: 'error', place: { cluster: 'prod', namespace: 'billing', object: 'SealedSecret/billing/payments', field: 'spec.encryptedData.user' } });
    expect(JSON.stringify(problem)).not.toContain('root"');
  }, 60_000);

  test('a committed swap is found against FLEET_BASE_REF (the target branch in CI); a legitimate reseal is not', async () => {
    const { root, object } = await repository({ token: 't-1' });
    git(root, 'branch', 'target');
    write(root, swapCiphertext(object, 'token', 't-evil'));
    git(root, 'commit', '-qam', 'innocent looking change');
    expect(sealedSecretsSinceBase(root, { FLEET_BASE_REF: 'target' }).map((p) => p.code)).toEqual(['secrets/sealed-ciphertext-swapped']);
    expect(sealedSecretsSinceBase(root, {})).toEqual([]);
    write(root, await sealedPayments({ token: 't-2' }));
    expect(sealedSecretsSinceBase(root, { FLEET_BASE_REF: 'target' })).toEqual([]);
  }, 60_000);

  test('an unknown FLEET_BASE_REF is a problem; no Git repository means no base to compare', async () => {
    const { root } = await repository({ a: 'b' });
    expect(sealedSecretsSinceBase(root, { FLEET_BASE_REF: 'no-such-branch' }).map((p) => p.code)).toEqual(['secrets/unknown-base-ref']);
    const plain = mkdtempSync(join(tmpdir(), 'fleet-no-git-'));
    expect(sealedSecretsSinceBase(plain, {})).toEqual([]);
  }, 60_000);
});
