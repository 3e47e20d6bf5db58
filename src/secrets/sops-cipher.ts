/**
 * One SOPS value: `ENC[AES256_GCM,data:<b64>,iv:<b64>,tag:<b64>,type:<str|int|float|bool>]`.
 *
 * Mirrors getsops/sops `aes/cipher.go`: AES-256-GCM with the document's 32-byte data key, a
 * random 32-byte IV (GCM accepts any IV length; sops chose 32), the 16-byte tag stored apart
 * from the ciphertext, and the key path (`stringData:password:`) as additional data so a value
 * cannot be moved to another key. Empty strings are stored as `''`, unencrypted, like sops does.
 */
import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from 'crypto';

/** A leaf value of a SOPS tree; null leaves are never encrypted. */
export type SopsScalar = string | number | boolean;

/** The `type:` of an encrypted value. `int64`, `bytes` and `comment` are only ever read. */
export type SopsValueType = 'str' | 'int' | 'float' | 'bool';

/** A scalar with the type sops would give it (YAML `1` is an int, `1.0` a float). */
export interface TypedScalar {
  readonly value: SopsScalar;
  readonly type: SopsValueType;
}

/** A decrypted scalar, with the exact bytes sops feeds to the MAC for it (`ToBytes`). */
export interface PlainScalar extends TypedScalar {
  readonly macBytes: Buffer;
}

/** Why a value could not be decrypted; never carries the value itself. */
export type CipherFailure = 'malformed' | 'authentication' | 'unknown-type';

export type RandomBytes = (size: number) => Uint8Array;

const IV_BYTES = 32;
const TAG_BYTES = 16;
const ENCRYPTED_VALUE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export function isEncryptedValue(text: string): boolean {
  return ENCRYPTED_VALUE.test(text);
}

/**
 * Length in bytes of the plaintext an `ENC[…]` value holds, read without a key: AES-GCM's
 * ciphertext is exactly as long as its plaintext. Undefined when the text is not a sops value.
 */
export function encryptedLength(text: string): number | undefined {
  if (text === '') return 0;
  const match = ENCRYPTED_VALUE.exec(text);
  return match ? Buffer.from(match[1], 'base64').length : undefined;
}

/** Encrypts one value for the key path `additionalData` (`a:b:`); `''` stays `''`. */
export function encryptScalar(
  scalar: TypedScalar,
  dataKey: Uint8Array,
  additionalData: string,
  randomBytes: RandomBytes = nodeRandomBytes,
): string {
  const plaintext = scalarText(scalar);
  if (scalar.type === 'str' && plaintext.length === 0) return '';
  const iv = Buffer.from(randomBytes(IV_BYTES));
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  cipher.setAAD(Buffer.from(additionalData, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const tag = cipher.getAuthTag();
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${tag.toString('base64')},type:${scalar.type}]`;
}

/** Decrypts one value; `''` decrypts to `''` like sops (`isEmpty`). */
export function decryptScalar(
  text: string,
  dataKey: Uint8Array,
  additionalData: string,
): PlainScalar | { readonly failure: CipherFailure } {
  if (text === '') return plainString(Buffer.alloc(0));
  const match = ENCRYPTED_VALUE.exec(text);
  if (!match) return { failure: 'malformed' };
  const [, data, iv, tag, type] = match;
  const ivBytes = Buffer.from(iv, 'base64');
  const tagBytes = Buffer.from(tag, 'base64');
  if (ivBytes.length === 0 || tagBytes.length !== TAG_BYTES) return { failure: 'malformed' };
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', dataKey, ivBytes);
    decipher.setAAD(Buffer.from(additionalData, 'utf8'));
    decipher.setAuthTag(tagBytes);
    plaintext = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]);
  } catch {
    return { failure: 'authentication' };
  }
  return typedPlaintext(plaintext, type) ?? { failure: 'unknown-type' };
}

/** The bytes sops' `ToBytes` gives a plain (never encrypted) leaf, for the MAC. */
export function macBytes(scalar: TypedScalar): Buffer {
  return Buffer.from(scalarText(scalar), 'utf8');
}

/** Go's `strconv.FormatFloat(x, 'f', -1, 64)`: shortest round-trip digits, never an exponent. */
export function formatGoFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return '+Inf';
  if (x === -Infinity) return '-Inf';
  if (Object.is(x, -0)) return '-0';
  const text = String(x);
  const exponent = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!exponent) return text;
  const [, sign, lead, rest = '', power] = exponent;
  const digits = lead + rest;
  const point = 1 + Number(power);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function scalarText(scalar: TypedScalar): string {
  switch (scalar.type) {
    case 'str':
      return String(scalar.value);
    case 'int':
      return typeof scalar.value === 'number' ? BigInt(Math.trunc(scalar.value)).toString() : String(scalar.value);
    case 'float':
      return formatGoFloat(Number(scalar.value));
    case 'bool':
      // sops writes Go booleans title-cased, a leftover from its Python version.
      return scalar.value ? 'True' : 'False';
  }
}

function plainString(bytes: Buffer): PlainScalar {
  return { value: bytes.toString('utf8'), type: 'str', macBytes: bytes };
}

/** Parses decrypted bytes by their `type:` like sops (strconv.Atoi / ParseFloat / ParseBool). */
function typedPlaintext(bytes: Buffer, type: string): PlainScalar | undefined {
  const text = bytes.toString('utf8');
  switch (type) {
    case 'str':
    case 'bytes':
    case 'comment':
      return plainString(bytes);
    case 'int':
    case 'int64': {
      if (!/^[+-]?\d+$/.test(text)) return undefined;
      const canonical = BigInt(text).toString();
      return { value: Number(canonical), type: 'int', macBytes: Buffer.from(canonical) };
    }
    case 'float': {
      const value = parseGoFloat(text);
      if (value === undefined) return undefined;
      return { value, type: 'float', macBytes: Buffer.from(formatGoFloat(value)) };
    }
    case 'bool': {
      const value = GO_BOOLEANS[text];
      if (value === undefined) return undefined;
      return { value, type: 'bool', macBytes: Buffer.from(value ? 'True' : 'False') };
    }
    default:
      return undefined;
  }
}

const GO_BOOLEANS: Readonly<Record<string, boolean>> = {
  '1': true, t: true, T: true, TRUE: true, true: true, True: true,
  '0': false, f: false, F: false, FALSE: false, false: false, False: false,
};

function parseGoFloat(text: string): number | undefined {
  const special: Readonly<Record<string, number>> = { NaN: NaN, '+Inf': Infinity, Inf: Infinity, '-Inf': -Infinity };
  if (text in special) return special[text];
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
