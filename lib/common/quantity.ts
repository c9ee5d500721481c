import { IConstruct } from 'constructs';
import { fail, show } from './errors';

// Kubernetes resource.Quantity, as both the API server's parser (resource.ParseQuantity) and the
// OpenAPI pattern of quantity fields accept it: a signed decimal number (`1`, `1.5`, `1.`, `.5`),
// then a binary-SI suffix (Ki..Ei), a decimal-SI suffix (n, u, m, '', k, M, G, T, P, E) or a
// decimal exponent with an integer power (`e3`, `E-2`; `1E` alone is 10^18, `1E3` is 1000).
// Texts only one of the two accepts (`+`, `.`, `1e1.5`) are refused.
const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY_POWERS: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_POWERS: Record<string, number> = { '': 0, 'n': -9, 'u': -6, 'm': -3, 'k': 3, 'M': 6, 'G': 9, 'T': 12, 'P': 15, 'E': 18 };

const NANO_DIGITS = 9;
/** The largest magnitude we accept, 2^63 - 1 base units: what `Quantity.Value()` can return. */
const MAX_NANO = (2n ** 63n - 1n) * 10n ** 9n;

/**
 * Parses a Kubernetes quantity exactly, into nano-units (value × 10^9) as a `bigint`, rounding a
 * non-zero value finer than `1n` away from zero as the API server does. Returns `undefined` when
 * the text is not a quantity (`512MB`, `1 Gi`, `+`, `1e1.5`) or its magnitude exceeds 2^63 - 1
 * (which Kubernetes cannot represent as an integer count either).
 */
export function parseQuantityNano(text: string): bigint | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, whole, fraction = '', suffix = ''] = match;
  if (whole === '' && fraction === '') return undefined; // '', '+', '.', 'k'
  let exp10: number;
  let exp2 = 0;
  if (suffix in BINARY_POWERS) {
    exp10 = 0;
    exp2 = BINARY_POWERS[suffix];
  } else if (suffix in DECIMAL_POWERS) {
    exp10 = DECIMAL_POWERS[suffix];
  } else {
    // A decimal exponent: the API server reads it as a 64-bit integer and then truncates it to 32
    // bits, so `1e4294967296` would silently become 1; refuse exponents beyond 32 bits instead.
    const power = Number(suffix.slice(1));
    if (!Number.isSafeInteger(power) || Math.abs(power) > 2 ** 31 - 1) return undefined;
    exp10 = power;
  }
  // value = digits × 10^(exp10 - fraction.length + 9) × 2^exp2, in nano-units.
  const digits = BigInt((whole + fraction).replace(/^0+/, '') || '0');
  if (digits === 0n) return 0n;
  const shift = exp10 - fraction.length + NANO_DIGITS;
  // Bound the work: anything with more than ~40 integer digits is far beyond MAX_NANO.
  const magnitude = (whole + fraction).replace(/^0+/, '').length + shift + Math.ceil(exp2 * Math.log10(2));
  if (magnitude > 40) return undefined;
  let nano: bigint;
  if (shift >= 0) {
    nano = (digits * 10n ** BigInt(shift)) << BigInt(exp2);
  } else if (magnitude < -1) {
    nano = 1n; // below 1n: rounded up to the smallest representable amount, as Kubernetes does
  } else {
    const scaled = digits << BigInt(exp2);
    const divisor = 10n ** BigInt(-shift);
    nano = scaled / divisor + (scaled % divisor === 0n ? 0n : 1n);
  }
  if (nano > MAX_NANO) return undefined;
  return sign === '-' ? -nano : nano;
}

/**
 * Parses a Kubernetes quantity (`250m`, `1.5`, `512Mi`, `1e3`, `2Ei`) into its numeric value in
 * base units, or returns `undefined` when the text is not a quantity (`512MB`, `1 Gi`, `-`). The
 * number is the exact value rounded to a double; compare quantities with {@link compareQuantities}.
 */
export function parseQuantity(text: string): number | undefined {
  const nano = parseQuantityNano(text);
  if (nano === undefined) return undefined;
  const whole = nano / 10n ** 9n;
  return Number(whole) + Number(nano - whole * 10n ** 9n) / 1e9;
}

/**
 * Compares two quantities exactly: negative when `a` is smaller, 0 when equal, positive when
 * larger; `undefined` when either is not a quantity.
 */
export function compareQuantities(a: string, b: string): number | undefined {
  const x = parseQuantityNano(a);
  const y = parseQuantityNano(b);
  if (x === undefined || y === undefined) return undefined;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Parses `text` as a non-negative quantity or throws a message naming `what` and the fix. */
export function requireQuantity(scope: IConstruct, what: string, text: string, example: string): number {
  const nano = typeof text === 'string' ? parseQuantityNano(text) : undefined;
  if (nano === undefined || nano < 0n) {
    fail(scope, `${what} ${show(text)} is not a valid Kubernetes quantity: use a non-negative number of at most 2^63 - 1 base units with an optional suffix such as m, Ki, Mi, Gi, Ei, k, M, G or E, or a decimal exponent (e.g. ${show(example)}).`);
  }
  return parseQuantity(text)!;
}

/**
 * Parses a resource request and its limit, each named as the user wrote it (`'requests.cpu'`),
 * and fails unless the limit is at least the request (compared exactly). Returns both, in base units.
 */
export function requireRequestWithinLimit(
  scope: IConstruct, requestName: string, request: string, limitName: string, limit: string, example: string,
): { request: number; limit: number } {
  const requested = requireQuantity(scope, requestName, request, example);
  const limited = requireQuantity(scope, limitName, limit, example);
  if (compareQuantities(limit, request)! < 0) {
    fail(scope, `${limitName} (${limit}) must be at least ${requestName} (${request}); raise the limit or lower the request.`);
  }
  return { request: requested, limit: limited };
}
