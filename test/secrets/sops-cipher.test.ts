import { decryptScalar, encryptScalar, formatGoFloat, macBytes } from '../../src/secrets/sops-cipher';

const KEY = Buffer.alloc(32, 7);

describe('sops value cipher', () => {
  test.each([
    [{ value: 'hello', type: 'str' as const }, 'hello'],
    [{ value: 42, type: 'int' as const }, '42'],
    [{ value: 1.5, type: 'float' as const }, '1.5'],
    [{ value: true, type: 'bool' as const }, 'True'],
    [{ value: false, type: 'bool' as const }, 'False'],
  ])('%j round-trips and hashes as sops ToBytes %s', (scalar, bytes) => {
    // GIVEN / WHEN
    const encrypted = encryptScalar(scalar, KEY, 'a:b:');
    const decrypted = decryptScalar(encrypted, KEY, 'a:b:');

    // THEN
    expect(encrypted).toMatch(new RegExp(`^ENC\\[AES256_GCM,data:.+,iv:.{44},tag:.{24},type:${scalar.type}\\]$`));
    expect(decrypted).toEqual({ value: scalar.value, type: scalar.type, macBytes: Buffer.from(bytes) });
    expect(macBytes(scalar).toString()).toBe(bytes);
  });

  test('the key path is additional data: another path does not decrypt', () => {
    const encrypted = encryptScalar({ value: 'x', type: 'str' }, KEY, 'stringData:a:');
    expect(decryptScalar(encrypted, KEY, 'stringData:b:')).toEqual({ failure: 'authentication' });
  });

  test('empty strings stay empty and unencrypted, like sops', () => {
    expect(encryptScalar({ value: '', type: 'str' }, KEY, 'a:')).toBe('');
    expect(decryptScalar('', KEY, 'a:')).toMatchObject({ value: '', type: 'str' });
  });

  test('a value that is not ENC[…] is malformed', () => {
    expect(decryptScalar('plain', KEY, 'a:')).toEqual({ failure: 'malformed' });
  });

  test.each([
    [1, '1'],
    [1.5, '1.5'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-2.5e22, '-25000000000000000000000'],
    [Infinity, '+Inf'],
    [NaN, 'NaN'],
  ])('formatGoFloat(%p) is %s like strconv.FormatFloat(f, -1)', (x, text) => {
    expect(formatGoFloat(x)).toBe(text);
  });
});
