/**
 * The SOPS message authentication code (getsops/sops `sops.go`, `Tree.Encrypt` / `Tree.Decrypt`):
 * SHA-512 over the plaintext bytes of every leaf in document order — plain leaves included, so
 * editing an unencrypted field is detected too — as upper-case hex. It is stored encrypted with
 * the data key, with the `lastmodified` time as additional data, so nobody without the key can
 * forge it.
 */
import { createHash } from 'crypto';
import { decryptScalar, encryptScalar, RandomBytes } from './sops-cipher';

/**
 * With `mac_only_encrypted`, the hash starts from sha256("sops") so such a MAC can never equal one
 * computed over all values (`MACOnlyEncryptedInitialization`).
 */
const MAC_ONLY_ENCRYPTED_INITIALIZATION = Buffer.from('8a3fd2ad54ce66527b1034f3d147be0b0b975b3bf44f72c6fdadec8176f27d69', 'hex');

/** One leaf's contribution to the MAC. */
export interface MacInput {
  readonly bytes: Buffer;
  readonly encrypted: boolean;
}

export function computeMac(leaves: Iterable<MacInput>, macOnlyEncrypted: boolean): string {
  const hash = createHash('sha512');
  if (macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INITIALIZATION);
  for (const leaf of leaves) if (!macOnlyEncrypted || leaf.encrypted) hash.update(leaf.bytes);
  return hash.digest('hex').toUpperCase();
}

export function encryptMac(mac: string, dataKey: Uint8Array, lastModified: string, randomBytes?: RandomBytes): string {
  return encryptScalar({ value: mac, type: 'str' }, dataKey, macAdditionalData(lastModified), randomBytes);
}

/** The stored MAC, or undefined when it does not decrypt (wrong key, tampered `lastmodified`). */
export function decryptMac(encrypted: string, dataKey: Uint8Array, lastModified: string): string | undefined {
  const plain = decryptScalar(encrypted, dataKey, macAdditionalData(lastModified));
  return 'failure' in plain ? undefined : String(plain.value);
}

/**
 * sops parses `lastmodified` and formats it again with Go's RFC 3339 layout before using it as
 * additional data: fractional seconds are dropped and a zero offset is written `Z`.
 */
export function macAdditionalData(lastModified: string): string {
  return lastModified.replace(/(T\d{2}:\d{2}:\d{2})\.\d+/, '$1').replace(/[+-]00:00$/, 'Z');
}
