// Corrupted age stanzas in a sops file are found without any private key.
import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';
import { armor } from 'age-encryption';
import { ageEntryError } from '../../src/secrets/age-stanza';
import { fixture, REPO, sampleRecipient } from './fixtures';
import { wrapDataKey } from '../../src/secrets/age-data-key';
import { fleet } from '../../src/environments';
import { prepareFleetSecrets } from '../../src/render/secrets';
import { sampleRoot } from './sample-root';

const entries = (text: string): { recipient: string; enc: string }[] => parse(text).sops.age;

/** The binary age file of an armored `enc`, edited, armored again. */
function edit(enc: string, change: (header: string) => string): string {
  const file = Buffer.from(armor.decode(enc));
  const end = file.indexOf('\n---') + 1;
  const header = change(file.subarray(0, end).toString('latin1'));
  return armor.encode(Buffer.concat([Buffer.from(header, 'latin1'), file.subarray(end)]));
}

async function fresh(): Promise<{ recipient: string; enc: string }> {
  const wrapped = await wrapDataKey(new Uint8Array(32).fill(7), [sampleRecipient('staging')]);
  if (!wrapped.ok) throw new Error('wrap');
  return wrapped.value[0];
}

describe('ageEntryError', () => {
  test('every committed sample source and the sops 3.10.2 vector are well formed', () => {
    for (const env of ['development', 'staging', 'production']) {
      for (const file of readdirSync(join(REPO, 'secrets', env))) {
        for (const { recipient, enc } of entries(readFileSync(join(REPO, 'secrets', env, file), 'utf8'))) expect([file, ageEntryError(recipient, enc)]).toEqual([file, undefined]);
      }
    }
    const [vector] = entries(fixture('flux-global-age-secret.sops.yaml'));
    expect(ageEntryError(vector.recipient, vector.enc)).toBeUndefined();
  });

  test.each([
    ['a share cut short', (h: string) => h.replace(/-> X25519 (\S+)/, (_m, s: string) => `-> X25519 ${s.slice(0, 20)}`), 'share'],
    ['a stanza body cut short', (h: string) => h.replace(/(-> X25519 \S+\n)(\S+)/, (_m, a: string, b: string) => `${a}${b.slice(0, 10)}`), /body|wrapped file key/],
    ['a second X25519 stanza', (h: string) => h.replace(/(-> X25519 [^\n]+\n[^\n]*\n)/, '$1$1'), 'stanzas'],
    ['no stanza at all', (h: string) => h.replace(/-> X25519 [^\n]+\n[^\n]*\n/, ''), 'no recipient stanza'],
    ['a wrong version line', (h: string) => h.replace('age-encryption.org/v1', 'age-encryption.org/v2'), 'does not start'],
  ])('%s', async (_what, change, message) => {
    const { recipient, enc } = await fresh();
    expect(ageEntryError(recipient, edit(enc, change))).toMatch(message);
  });

  test('armor damage, a truncated payload and an invalid recipient', async () => {
    const { recipient, enc } = await fresh();
    expect(ageEntryError(recipient, enc.replace('-----END AGE ENCRYPTED FILE-----', ''))).toContain('ASCII-armored');
    const file = Buffer.from(armor.decode(enc));
    expect(ageEntryError(recipient, armor.encode(file.subarray(0, file.length - 5)))).toContain('32-byte data key');
    expect(ageEntryError('age1notarecipient', enc)).toContain('not a valid age recipient');
  });
});

describe('synth reads every source of an environment, used or not', () => {
  test('a corrupted stanza in an unreferenced source is found without any key', async () => {
    // GIVEN a source no service uses, whose only stanza lost part of its body
    const root = sampleRoot();
    const { recipient, enc } = await fresh();
    const damaged = edit(enc, (h) => h.replace(/(-> X25519 \S+\n)(\S+)/, (_m, a: string, b: string) => `${a}${b.slice(0, 12)}`));
    const text = readFileSync(join(root, 'secrets/staging/mysql.sops.yaml'), 'utf8').replace(/recipient: \S+/, `recipient: ${recipient}`).replace(/enc: \|\n(\s+-----BEGIN[\s\S]*?-----END AGE ENCRYPTED FILE-----\n)/, () => `enc: |\n${damaged.trimEnd().split('\n').map((l) => `            ${l}`).join('\n')}\n`);
    writeFileSync(join(root, 'secrets/staging/unused.sops.yaml'), text.replace('name: mysql', 'name: unused'));

    // WHEN
    const prepared = await prepareFleetSecrets(fleet, root, { env: { HOME: root }, out: REPO });

    // THEN
    const found = prepared.problems.filter((p) => p.code === 'secrets/age-stanza-invalid');
    expect(found).toEqual([expect.objectContaining({ place: { definition: 'secrets/staging/unused.sops.yaml', field: 'sops.age[0]' } })]);
  }, 60_000);
});
