import { IConstruct } from 'constructs';
import { fail, show } from './errors';

// Kubernetes resource.Quantity: a signed decimal number, then a binary-SI suffix (Ki..Ei),
// a decimal-SI suffix (n, u, m, '', k, M, G, T, P, E) or a decimal exponent (e3, E-2).
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const MULTIPLIERS: Record<string, number> = {
  'Ki': 2 ** 10, 'Mi': 2 ** 20, 'Gi': 2 ** 30, 'Ti': 2 ** 40, 'Pi': 2 ** 50, 'Ei': 2 ** 60,
  'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18,
};

/**
 * Parses a Kubernetes quantity (`250m`, `1.5`, `512Mi`, `1e3`) into its numeric value in base
 * units, or returns `undefined` when the text is not a quantity (`512MB`, `1 Gi`, `-`).
 */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const suffix = match[2] ?? '';
  const number = Number(match[1]);
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return number * MULTIPLIERS[suffix];
}

/** Parses `text` as a non-negative quantity or throws a message naming `what` and the fix. */
export function requireQuantity(scope: IConstruct, what: string, text: string, example: string): number {
  const value = parseQuantity(text);
  if (value === undefined || value < 0) {
    fail(scope, `${what} ${show(text)} is not a valid Kubernetes quantity: use a non-negative number with an optional suffix such as m, Ki, Mi, Gi, k, M or G (e.g. ${show(example)}).`);
  }
  return value;
}

/**
 * Parses a resource request and its limit, each named as the user wrote it (`'requests.cpu'`),
 * and fails unless the limit is at least the request. Returns both, in base units.
 */
export function requireRequestWithinLimit(
  scope: IConstruct, requestName: string, request: string, limitName: string, limit: string, example: string,
): { request: number; limit: number } {
  const requested = requireQuantity(scope, requestName, request, example);
  const limited = requireQuantity(scope, limitName, limit, example);
  if (limited < requested) {
    fail(scope, `${limitName} (${limit}) must be at least ${requestName} (${request}); raise the limit or lower the request.`);
  }
  return { request: requested, limit: limited };
}
