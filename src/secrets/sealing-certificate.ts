/**
 * The sealed-secrets controller's public certificate (what `kubeseal --fetch-cert` prints),
 * committed per cluster. Sealing with an expired certificate would produce secrets the rotated
 * controller may no longer be meant to accept, so kubeseal refuses it; fleet does the same.
 */
import { createHash, KeyObject, X509Certificate } from 'crypto';
import { error, Place } from '../model/problem';
import { fail, ok, Result } from './result';

export interface SealingCertificate {
  readonly publicKey: KeyObject;
  /** `sha256:<hex>` of the DER certificate; what SealedSecrets record as `sealed-with`. */
  readonly fingerprint: string;
  readonly validFrom: Date;
  readonly validTo: Date;
}

export interface LoadSealingCertificateOptions {
  /** Reads a file as UTF-8; undefined when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
  /** The time validity is checked at; injected by tests. @default - the system clock */
  readonly now?: Date;
  /** Cluster the certificate belongs to, named in problems. @default - none */
  readonly cluster?: string;
}

const FETCH_FIX = (cluster?: string) =>
  `fetch the current certificate with \`kubeseal --fetch-cert > secrets/clusters/${cluster ?? '<cluster>'}/sealed-secrets-cert.pem\` and commit it`;

/** Reads and checks a committed certificate file. */
export function loadSealingCertificate(path: string, options: LoadSealingCertificateOptions): Result<SealingCertificate> {
  const place: Place = { cluster: options.cluster, definition: path };
  const pem = options.readFile(path);
  if (pem === undefined) {
    return fail(error('secrets/certificate-missing', place, 'the sealed-secrets certificate file does not exist', FETCH_FIX(options.cluster)));
  }
  return parseSealingCertificate(pem, { now: options.now, place });
}

/** Parses a PEM certificate and checks it is an RSA certificate valid at `now`. */
export function parseSealingCertificate(pem: string, options: { readonly now?: Date; readonly place?: Place } = {}): Result<SealingCertificate> {
  const place = options.place ?? {};
  const now = options.now ?? new Date();
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch {
    return fail(error('secrets/certificate-invalid', place, 'the sealed-secrets certificate is not a PEM X.509 certificate', FETCH_FIX(place.cluster)));
  }
  if (cert.publicKey.asymmetricKeyType !== 'rsa') {
    return fail(error('secrets/certificate-invalid', place, 'the sealed-secrets certificate does not hold an RSA key', FETCH_FIX(place.cluster)));
  }
  const validFrom = new Date(cert.validFrom);
  const validTo = new Date(cert.validTo);
  if (now < validFrom || now > validTo) {
    const when = now > validTo ? `expired on ${validTo.toISOString()}` : `is not valid before ${validFrom.toISOString()}`;
    return fail(error('secrets/certificate-expired', place, `the sealed-secrets certificate ${when}`, FETCH_FIX(place.cluster)));
  }
  return ok({ publicKey: cert.publicKey, fingerprint: `sha256:${createHash('sha256').update(cert.raw).digest('hex')}`, validFrom, validTo });
}
