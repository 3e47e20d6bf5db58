// A SealedSecret whose ciphertext was swapped while its source stayed the same is a high-risk change.
import { diffClusters } from '../../../src/delivery/diff/semantic-diff';
import { swappedCiphertexts } from '../../../src/secrets/sealed-integrity';
import { sealedPayments as sealed, swapCiphertext as swap } from '../../secrets/swap-fixtures';

describe('swapped SealedSecret ciphertext', () => {
  test('is a danger in the semantic diff, naming the key and never a value', async () => {
    const before = await sealed({ 'api-token': 'tok-1', webhook: 'hook-1' });
    const after = swap(before, 'webhook', 'attacker-webhook');
    const [diff] = diffClusters(new Map([['prod', [before]]]), new Map([['prod', [after]]]));
    expect(diff.risks.filter((r) => r.level === 'danger')).toEqual([expect.objectContaining({ class: 'secret', message: expect.stringContaining('webhook changed but its SOPS source did not') })]);
    expect(JSON.stringify(diff)).not.toContain('attacker-webhook');
  }, 30_000);

  test('a legitimate reseal of a changed source is not flagged: its source digest changed too', async () => {
    const before = await sealed({ 'api-token': 'tok-1' });
    const after = await sealed({ 'api-token': 'tok-2' });
    expect(swappedCiphertexts(before, after)).toEqual([]);
    const [diff] = diffClusters(new Map([['prod', [before]]]), new Map([['prod', [after]]]));
    expect(diff.risks.map((r) => r.level)).toEqual(['notice']);
  }, 30_000);
});
