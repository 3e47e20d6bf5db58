/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `1e3`, `128974848`), parsed exactly.
 *
 * Values are returned in nano-units as a bigint (1 core = 10^9, 1 byte = 10^9) so that
 * `1Gi` and `1024Mi` compare equal and `0.1` equals `100m` — floating point gets both of those
 * wrong at the edges, and a ceiling check must not be off by one.
 *
 * Grammar (k8s.io/apimachinery/pkg/api/resource):
 *   <quantity> ::= <signedNumber><suffix>
 *   <suffix>   ::= Ki | Mi | Gi | Ti | Pi | Ei | n | u | m | "" | k | M | G | T | P | E
 *                 | e<signedNumber> | E<signedNumber>
 *
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY_POWER: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL_EXPONENT: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Exponents past this are not resources anyone means; refusing them keeps bigint maths cheap. */
const MAX_EXPONENT = 40;

const NANO_EXPONENT = 9;

/**
 * Parses a quantity into nano-units, or `undefined` when it is not a valid quantity.
 * Numbers (JSON `memory: 1024`) are accepted as the API server accepts them.
 * Precision below one nano-unit is rounded up, as Kubernetes does.
 */
export function parseQuantity(input: string | number): bigint | undefined {
  const text = typeof input === 'number' ? numberToText(input) : input.trim();
  if (text === undefined) return undefined;
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, number, suffix = ''] = match;
  const [whole, fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  let exponent = NANO_EXPONENT - fraction.length;
  let binaryPower = 0;
  if (suffix in BINARY_POWER) binaryPower = BINARY_POWER[suffix];
  else if (suffix in DECIMAL_EXPONENT) exponent += DECIMAL_EXPONENT[suffix];
  else if (suffix) {
    const written = Number(suffix.slice(1));
    if (Math.abs(written) > MAX_EXPONENT) return undefined;
    exponent += written;
  }
  let nanos = digits * 2n ** BigInt(10 * binaryPower);
  if (exponent >= 0) nanos *= 10n ** BigInt(exponent);
  else {
    const divisor = 10n ** BigInt(-exponent);
    nanos = (nanos + divisor - 1n) / divisor;
  }
  return sign === '-' ? -nanos : nanos;
}

function numberToText(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  // String(1e21) is '1e+21', which the grammar accepts; String(0.000001) is '0.000001'.
  return String(value);
}

/** `parseQuantity` in whole units as a JavaScript number, for messages and arithmetic that need no exactness. */
export function quantityToNumber(nanos: bigint): number {
  return Number(nanos) / 1e9;
}

const BINARY_UNITS: readonly [string, bigint][] = [
  ['Ei', 2n ** 60n],
  ['Pi', 2n ** 50n],
  ['Ti', 2n ** 40n],
  ['Gi', 2n ** 30n],
  ['Mi', 2n ** 20n],
  ['Ki', 2n ** 10n],
];

/** A byte count in the largest binary unit that divides it exactly (`68719476736` → `64Gi`). */
export function formatBytes(nanos: bigint): string {
  const bytes = nanos / 1_000_000_000n;
  for (const [unit, size] of BINARY_UNITS) if (bytes !== 0n && bytes % size === 0n) return `${bytes / size}${unit}`;
  return String(bytes);
}

/** A CPU amount as cores, or millicores when it is not whole (`1500m`, `16`). */
export function formatCores(nanos: bigint): string {
  if (nanos % 1_000_000_000n === 0n) return String(nanos / 1_000_000_000n);
  return `${(nanos + 999_999n) / 1_000_000n}m`;
}
