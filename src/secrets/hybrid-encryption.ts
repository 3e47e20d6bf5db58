/**
 * kubeseal's hybrid encryption of one SealedSecret value (bitnami-labs/sealed-secrets
 * `pkg/crypto/crypto.go`, `HybridEncrypt` / `HybridDecrypt`):
 *
 *   blob = uint16be(len(rsa)) ‖ rsa ‖ aesgcm
 *   rsa    = RSA-OAEP-SHA256(cluster public key, sessionKey, label)
 *   aesgcm = AES-256-GCM(sessionKey, nonce = 12 zero bytes, no additional data) ciphertext ‖ tag
 *
 * The session key is fresh for every value, so the zero nonce is never reused. The label binds
 * the value to where it may be unsealed (`EncryptionLabel` in `sealedsecret_expansion.go`):
 * `namespace/name` (strict), `namespace` (namespace-wide) or empty (cluster-wide).
 */
import { constants, createCipheriv, createDecipheriv, createPrivateKey, KeyObject, privateDecrypt, publicEncrypt, randomBytes as nodeRandomBytes } from 'crypto';
import { error, Place } from '../model/problem';
import { fail, ok, Result } from './result';
import { RandomBytes } from './sops-cipher';

/** Where a sealed value may be unsealed. @see https://github.com/bitnami-labs/sealed-secrets#scopes */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

const SESSION_KEY_BYTES = 32;
const GCM_NONCE = Buffer.alloc(12);
const GCM_TAG_BYTES = 16;

/** The RSA-OAEP label for a scope. */
export function sealingLabel(namespace: string, name: string, scope: SealingScope): Buffer {
  switch (scope) {
    case 'cluster-wide':
      return Buffer.alloc(0);
    case 'namespace-wide':
      return Buffer.from(namespace, 'utf8');
    case 'strict':
      return Buffer.from(`${namespace}/${name}`, 'utf8');
  }
}

/** Seals one value; the result is what `spec.encryptedData.<key>` holds after base64. */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Uint8Array, label: Uint8Array, randomBytes: RandomBytes = nodeRandomBytes): Buffer {
  const sessionKey = Buffer.from(randomBytes(SESSION_KEY_BYTES));
  const rsa = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) }, sessionKey);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(rsa.length);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([length, rsa, sealed]);
}

/** The controller's side; undefined when the key or label is wrong or the blob was changed. */
export function hybridDecrypt(privateKey: KeyObject, blob: Uint8Array, label: Uint8Array): Buffer | undefined {
  const bytes = Buffer.from(blob);
  if (bytes.length < 2) return undefined;
  const rsaLength = bytes.readUInt16BE(0);
  if (bytes.length < 2 + rsaLength + GCM_TAG_BYTES) return undefined;
  try {
    const sessionKey = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) },
      bytes.subarray(2, 2 + rsaLength),
    );
    const aes = bytes.subarray(2 + rsaLength);
    const decipher = createDecipheriv('aes-256-gcm', sessionKey, GCM_NONCE);
    decipher.setAuthTag(aes.subarray(aes.length - GCM_TAG_BYTES));
    return Buffer.concat([decipher.update(aes.subarray(0, aes.length - GCM_TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * Unseals one `encryptedData` value (base64) with the controller's private key, as the
 * controller would. Used by tests and by operators checking a backup key.
 */
export function unseal(blob: string | Uint8Array, privateKeyPem: string, label: string | Uint8Array, place: Place = {}): Result<Buffer> {
  let key: KeyObject;
  try {
    key = createPrivateKey(privateKeyPem);
  } catch {
    return fail(error('secrets/unseal-failed', place, 'the sealing private key is not a PEM private key', 'pass the controller key (kubectl get secret -n kube-system -l sealedsecrets.bitnami.com/sealed-secrets-key)'));
  }
  const bytes = typeof blob === 'string' ? Buffer.from(blob, 'base64') : blob;
  const plain = hybridDecrypt(key, bytes, typeof label === 'string' ? Buffer.from(label, 'utf8') : label);
  if (plain) return ok(plain);
  return fail(error('secrets/unseal-failed', place, 'the value does not unseal: wrong key, wrong namespace/name/scope, or a changed blob', 'seal it again for this cluster, name, namespace and scope'));
}
