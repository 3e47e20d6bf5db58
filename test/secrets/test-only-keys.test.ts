// Every committed sample private key says TEST ONLY, still parses, and a cluster using the
// repository's test certificate or age recipients is warned about.
import { createPrivateKey } from 'crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { fleet } from '../../src/environments';
import { prepareFleetSecrets } from '../../src/render/secrets';
import { parseAgeIdentities } from '../../src/secrets/age-identity';
import { parseSealingCertificate } from '../../src/secrets/sealing-certificate';
import { decryptSops } from '../../src/secrets/sops';
import { hasTestOnlyMarker, isTestOnlyCertificate, isTestOnlyRecipient, TEST_ONLY_AGE_RECIPIENTS, TEST_ONLY_CERTIFICATE_FINGERPRINTS } from '../../src/secrets/test-only-keys';
import { fixture, NOW, REPO, VECTOR } from './fixtures';

/** Every file under the committed key and fixture directories. */
function keyMaterialFiles(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return [...walk(join(REPO, 'secrets')), ...walk(join(REPO, 'test', 'fixtures', 'secrets'))].map((path) => relative(REPO, path)).sort();
}

const text = (path: string) => readFileSync(join(REPO, path), 'utf8');
const privateKeys = keyMaterialFiles().filter((path) => /-----BEGIN [A-Z ]*PRIVATE KEY-----|AGE-SECRET-KEY-1/.test(text(path)));
const certificates = keyMaterialFiles().filter((path) => text(path).includes('-----BEGIN CERTIFICATE-----'));

describe('TEST-ONLY key material', () => {
  test('there are sample private keys, and every one carries a TEST ONLY line outside its key block', () => {
    expect(privateKeys.length).toBeGreaterThanOrEqual(10);
    expect(privateKeys.filter((path) => !hasTestOnlyMarker(text(path)))).toEqual([]);
  });

  test.each(privateKeys.filter((p) => p.endsWith('.pem')))('%s still parses', (path) => {
    expect(createPrivateKey(text(path)).asymmetricKeyType).toBe('rsa');
  });

  test.each(certificates)('%s is marked, parses, and its fingerprint is in the list', (path) => {
    expect(hasTestOnlyMarker(text(path))).toBe(true);
    const parsed = parseSealingCertificate(text(path), { now: path.includes('expired') ? new Date('2020-06-01T00:00:00Z') : NOW });
    expect(parsed.ok && TEST_ONLY_CERTIFICATE_FINGERPRINTS.includes(parsed.value.fingerprint)).toBe(true);
  });

  test.each(privateKeys.filter((p) => p.endsWith('.agekey')))('%s parses and its recipient is in the list', async (path) => {
    const { identities } = parseAgeIdentities(text(path), path);
    expect(identities).toHaveLength(1);
    expect(TEST_ONLY_AGE_RECIPIENTS).toContain(await identityToRecipient(identities[0]));
  });

  test('a real key is not taken for a test key; a test certificate is recognised without its marker line too', async () => {
    expect(isTestOnlyRecipient(await identityToRecipient(await generateIdentity()))).toBe(false);
    const production = text('secrets/clusters/production/sealed-secrets-cert.pem');
    const block = production.slice(production.indexOf('-----BEGIN'));
    expect(isTestOnlyCertificate(block, 'sha256:' + '0'.repeat(64))).toBe(false);
    expect(isTestOnlyCertificate(block, TEST_ONLY_CERTIFICATE_FINGERPRINTS[0])).toBe(true);
    expect(isTestOnlyCertificate(`# TEST ONLY\n${block}`, 'sha256:' + '0'.repeat(64))).toBe(true);
  });

  test('the sops vector still reads exactly: the fixture is the shared vector plus one comment line, and decrypts', async () => {
    const shared = '/work/shared/testvectors/sops';
    if (existsSync(shared)) {
      expect(fixture('flux-global-age-secret.sops.yaml')).toBe(readFileSync(join(shared, 'flux-global-age-secret.sops.yaml'), 'utf8'));
      const lines = fixture('flux-age-global.agekey').split('\n');
      expect(lines[0]).toContain('TEST ONLY');
      expect(lines.slice(1).join('\n')).toBe(readFileSync(join(shared, 'flux-age-global.agekey'), 'utf8'));
      expect(parseAgeIdentities(readFileSync(join(shared, 'flux-age-global.agekey'), 'utf8'), 'shared').identities).toEqual(VECTOR.identities());
    }
    const opened = await decryptSops(VECTOR.text(), { identities: VECTOR.identities() });
    expect(opened.ok && typeof (opened.value.data.stringData as Record<string, unknown>).key).toBe('string');
  });

  test('synth warns for every sample cluster, naming the certificate or recipient it relies on', async () => {
    const prepared = await prepareFleetSecrets(fleet, REPO, { env: { HOME: '/nonexistent' } });
    const warnings = prepared.problems.filter((p) => p.code === 'secrets/test-only-key');
    expect(warnings.map((p) => [p.severity, p.place.cluster, p.place.field]).sort()).toEqual(
      fleet.clusters.filter((c) => c.secrets).map((c) => ['warning', c.name, c.secrets?.backend === 'sops' ? 'secrets.ageRecipient' : 'secrets.certificate']).sort(),
    );
    expect(warnings.find((p) => p.place.cluster === 'staging')?.message).toContain('secrets/clusters/staging/sealed-secrets-cert.pem');
  }, 60_000);
});
