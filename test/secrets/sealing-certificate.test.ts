import { loadSealingCertificate, parseSealingCertificate } from '../../src/secrets/sealing-certificate';
import { fixture, NOW, readRepoFile } from './fixtures';

describe('sealing certificate', () => {
  test.each(['staging', 'production', 'specials'])('the sample %s certificate loads: RSA, valid, fingerprinted', (cluster) => {
    // GIVEN / WHEN
    const cert = loadSealingCertificate(`secrets/clusters/${cluster}/sealed-secrets-cert.pem`, { readFile: readRepoFile, now: NOW, cluster });

    // THEN
    expect(cert.ok && cert.value).toMatchObject({
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      validFrom: new Date('2025-01-01T00:00:00Z'),
      validTo: new Date('2035-01-01T00:00:00Z'),
    });
    expect(cert.ok && cert.value.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  test('an expired certificate is refused with the fetch-cert fix', () => {
    // GIVEN a certificate valid only in 2020
    const result = parseSealingCertificate(fixture('expired-sealed-secrets-cert.pem'), { now: NOW, place: { cluster: 'staging' } });

    // THEN
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: 'secrets/certificate-expired',
      place: { cluster: 'staging' },
      message: 'the sealed-secrets certificate expired on 2021-01-01T00:00:00.000Z',
      fix: expect.stringContaining('kubeseal --fetch-cert > secrets/clusters/staging/sealed-secrets-cert.pem'),
    });
  });

  test('a certificate that is not valid yet is refused too', () => {
    const result = loadSealingCertificate('secrets/clusters/staging/sealed-secrets-cert.pem', { readFile: readRepoFile, now: new Date('2024-06-01T00:00:00Z') });
    expect(!result.ok && result.problems[0].code).toBe('secrets/certificate-expired');
    expect(!result.ok && result.problems[0].message).toContain('is not valid before 2025-01-01');
  });

  test('a missing file is a clear problem', () => {
    const result = loadSealingCertificate('secrets/clusters/qa/sealed-secrets-cert.pem', { readFile: readRepoFile, now: NOW, cluster: 'qa' });
    expect(!result.ok && result.problems[0]).toMatchObject({
      code: 'secrets/certificate-missing',
      place: { cluster: 'qa', definition: 'secrets/clusters/qa/sealed-secrets-cert.pem' },
      fix: expect.stringContaining('kubeseal --fetch-cert'),
    });
  });

  test('something that is not a certificate is a problem', () => {
    const result = parseSealingCertificate('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n', { now: NOW });
    expect(!result.ok && result.problems[0].code).toBe('secrets/certificate-invalid');
  });
});
