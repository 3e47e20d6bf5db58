import fc from 'fast-check';
import { formatBytes, formatCores, parseQuantity, quantityToNumber } from '../../src/validate/policy/quantity';

const GI = 1024n ** 3n * 1_000_000_000n;

describe('parseQuantity', () => {
  test.each([
    ['1', 1_000_000_000n],
    ['500m', 500_000_000n],
    ['0.5', 500_000_000n],
    ['.5', 500_000_000n],
    ['1.', 1_000_000_000n],
    ['250m', 250_000_000n],
    ['1n', 1n],
    ['1u', 1_000n],
    ['1k', 1_000n * 1_000_000_000n],
    ['1M', 10n ** 6n * 1_000_000_000n],
    ['1G', 10n ** 9n * 1_000_000_000n],
    ['1T', 10n ** 12n * 1_000_000_000n],
    ['1P', 10n ** 15n * 1_000_000_000n],
    ['1E', 10n ** 18n * 1_000_000_000n],
    ['1Ki', 1024n * 1_000_000_000n],
    ['1Mi', 1024n ** 2n * 1_000_000_000n],
    ['1Gi', GI],
    ['1.5Gi', (GI * 3n) / 2n],
    ['1Ti', 1024n ** 4n * 1_000_000_000n],
    ['1e3', 1_000n * 1_000_000_000n],
    ['1E3', 1_000n * 1_000_000_000n],
    ['1e-3', 1_000_000n],
    ['2.5e+2', 250n * 1_000_000_000n],
    ['+1', 1_000_000_000n],
    ['-1', -1_000_000_000n],
    ['128974848', 128974848n * 1_000_000_000n],
  ])('%s', (text, nanos) => {
    // GIVEN a quantity as Kubernetes writes it / WHEN parsed / THEN it is exact in nano-units
    expect(parseQuantity(text)).toBe(nanos);
  });

  test.each(['', 'Gi', '1GB', '1gi', '1 Gi', '1.2.3', 'abc', '1Ki1', '1e', '--1', '1h', '1e999'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  test('accepts JSON numbers as the API server does', () => {
    expect(parseQuantity(2)).toBe(2_000_000_000n);
    expect(parseQuantity(0.25)).toBe(250_000_000n);
    expect(parseQuantity(Number.NaN)).toBeUndefined();
  });

  test('rounds sub-nano precision up, like Kubernetes', () => {
    expect(parseQuantity('0.1n')).toBe(1n);
  });

  test('equal amounts in different units compare equal (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => {
        // GIVEN n Mi and n*1024 Ki, n cores and n*1000 millicores
        expect(parseQuantity(`${n}Mi`)).toBe(parseQuantity(`${n * 1024}Ki`));
        expect(parseQuantity(`${n}`)).toBe(parseQuantity(`${n * 1000}m`));
        expect(parseQuantity(`${n}e3`)).toBe(parseQuantity(`${n}k`));
      }),
    );
  });

  test('order follows the numbers (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), (a, b) => {
        const pa = parseQuantity(`${a}Mi`)!;
        const pb = parseQuantity(`${b}Mi`)!;
        expect(pa < pb).toBe(a < b);
      }),
    );
  });
});

describe('formatting', () => {
  test('bytes use the largest exact binary unit', () => {
    expect(formatBytes(parseQuantity('64Gi')!)).toBe('64Gi');
    expect(formatBytes(parseQuantity('1536Mi')!)).toBe('1536Mi');
    expect(formatBytes(parseQuantity('1000')!)).toBe('1000');
  });

  test('cores are whole cores or millicores', () => {
    expect(formatCores(parseQuantity('16')!)).toBe('16');
    expect(formatCores(parseQuantity('1500m')!)).toBe('1500m');
    expect(quantityToNumber(parseQuantity('250m')!)).toBe(0.25);
  });
});
