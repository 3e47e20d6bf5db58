/**
 * The repository's TEST-ONLY key material: age identities in secrets/keys/ and test fixtures, the
 * sealed-secrets certificates in secrets/clusters/ whose private keys are committed under
 * test/fixtures/secrets/. Anyone can read those private keys, so a cluster still using their
 * public halves protects nothing. Recognised two ways, so that neither copying only the PEM block
 * nor regenerating the list alone hides it: the `TEST ONLY` marker line every committed key and
 * certificate carries (outside the PEM block, where parsers ignore it), and the public halves
 * listed here (test/secrets/test-only-keys.test.ts checks the list against every marked file).
 */

/** The line every committed sample key and certificate carries. */
export const TEST_ONLY_MARKER = 'TEST ONLY';

/** `sha256:` fingerprints (DER) of the committed test certificates. */
export const TEST_ONLY_CERTIFICATE_FINGERPRINTS: readonly string[] = [
  // secrets/clusters/production/sealed-secrets-cert.pem
  'sha256:e8dd46a1087b22d00e62f2ef7665be6a013b3ad066cbe9499fae41278dc3ed31',
  // secrets/clusters/staging/sealed-secrets-cert.pem
  'sha256:79b0cc3a7ba9e65ada5022e3f544ca330e8a99391c427900a9c8c68b54c8fa61',
  // secrets/clusters/specials/sealed-secrets-cert.pem
  'sha256:60ae3df0d97b87299f6962dd0113cdae1cc4e18a6599423592e607e1381a8b74',
  // test/fixtures/secrets/expired-sealed-secrets-cert.pem
  'sha256:deddbbb8c2a44afc9d4079644fb69982d372913d959c520a628c4e69866535df',
];

/** Recipients of the committed age identities (secrets/keys/*.agekey, test/fixtures/secrets/*.agekey). */
export const TEST_ONLY_AGE_RECIPIENTS: readonly string[] = [
  'age1zflr2ghmcwzds072xzlq2eln9pan7hrjqw2rk5x67keexqfmhezqkryulh',
  'age1suza2g2myehtevxgy59erufpu28098egt853a54nrfn65mzy235s5y6lyz',
  'age1n0j4wv55dc8vdarqz03tl9pxyhkwta0dk2ny8snpd3j7je94ns7qjgk45f',
  'age156snms8e56vqe44dvwzk3us4rccegrajg9s0vj4zh6u79sxl95lshprzvd',
  'age1qmkgc4vd82f4zlunjeta2z83qa2u6uu3zeymq3w0txjkxczmpc9sjj3l92',
  'age1nn8tmxw6fh62rlrp4fuyenf3nq75f7tazwyvmf83a3k9le2w3dls74mazl',
  'age1wvxn7h0l0zqt3h2y3gtawlcr9tn05t28fqzu5djwfgwas2nq9arq57nggm',
  'age1jkfdyzpq2397g9mc9edl6arj8a5zh3ssp4ke26qyr2sdw5sk5s5s8lave9',
  'age1syanfcj9kezsxdjyfl3lcdqf2qt565we43rcc4lnw8v2day4qa0syzy2u2',
  'age1k8qng6vfhf872gkmj298apaenwm3vsewx3xklhq9k9yrgflpgelqam7vny',
  // fluxcd/kustomize-controller's public test identity (the sops interoperability vector)
  'age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph',
];

/** Text outside `-----BEGIN …-----`/`-----END …-----` blocks that carries the marker. */
export function hasTestOnlyMarker(text: string): boolean {
  const outside = text.replace(/-----BEGIN [A-Z0-9 ]+-----[\s\S]*?-----END [A-Z0-9 ]+-----/g, '');
  return outside.includes(TEST_ONLY_MARKER);
}

export function isTestOnlyCertificate(pem: string, fingerprint: string): boolean {
  return TEST_ONLY_CERTIFICATE_FINGERPRINTS.includes(fingerprint) || hasTestOnlyMarker(pem);
}

export function isTestOnlyRecipient(recipient: string): boolean {
  return TEST_ONLY_AGE_RECIPIENTS.includes(recipient.trim());
}
