import * as fc from 'fast-check';
import { compareQuantities, parseQuantity, parseQuantityNano } from '../../lib/common/quantity';
import { kubeCheck } from '../support/kube-check';

/** A decimal string (as resource.ParseQuantity's AsDec prints it) in nano-units. */
function decimalToNano(text: string): bigint {
  const [, sign, whole, fraction = ''] = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text)!;
  const nano = BigInt(whole) * 10n ** 9n + BigInt((fraction + '000000000').slice(0, 9));
  return sign === '-' ? -nano : nano;
}

// Reference values, as k8s.io/apimachinery v0.28.15's resource.ParseQuantity reads them.
const REFERENCE: [string, string | undefined][] = [
  ['0', '0'], ['1', '1'], ['-1', '-1'], ['+1', '1'], ['007', '7'], ['1.', '1'], ['.5', '0.5'], ['1.5', '1.5'],
  ['250m', '0.25'], ['1n', '0.000000001'], ['1u', '0.000001'], ['1k', '1000'], ['1M', '1000000'],
  ['1G', '1000000000'], ['1T', '1000000000000'], ['1P', '1000000000000000'], ['1E', '1000000000000000000'],
  ['1Ki', '1024'], ['1Mi', '1048576'], ['1Gi', '1073741824'], ['1Ti', '1099511627776'],
  ['1Pi', '1125899906842624'], ['1Ei', '1152921504606846976'], ['2Ei', '2305843009213693952'],
  ['0.1Ki', '102.4'], ['1.5Gi', '1610612736'], ['1.G', '1000000000'],
  ['1e3', '1000'], ['1E3', '1000'], ['1e+3', '1000'], ['1e-3', '0.001'], ['1.5e2', '150'], ['1e03', '1000'],
  ['1e-10', '0.000000001'], ['-1e-10', '-0.000000001'], ['0.0000000001', '0.000000001'], ['0e99', '0'],
  ['7Ei', '8070450532247928832'],
  // Not quantities.
  ['', undefined], ['+', undefined], ['-', undefined], ['.', undefined], ['k', undefined], ['1K', undefined],
  ['1 Gi', undefined], ['512MB', undefined], ['1ki', undefined], ['1e', undefined], ['1e1.5', undefined],
  ['1Ee3', undefined], ['1e3i', undefined], ['1mm', undefined], ['0x10', undefined], ['1_000', undefined],
  ['Infinity', undefined], ['NaN', undefined], ['1e4294967296', undefined],
  // Beyond 2^63 - 1 base units: Kubernetes caps or wraps them; we refuse them.
  ['8Ei', undefined], ['1e19', undefined], ['9223372036854775808', undefined],
];

describe('parseQuantityNano', () => {
  test.each(REFERENCE)('%j is %j', (text, value) => {
    expect(parseQuantityNano(text)).toBe(value === undefined ? undefined : decimalToNano(value));
  });

  test('the reference table is what the API server parses', () => {
    const accepted = REFERENCE.filter(([, v]) => v !== undefined);
    const answers = kubeCheck<{ value?: string }>('quantity', accepted.map(([t]) => t));
    expect(answers.map(a => a.value && decimalToNano(a.value))).toEqual(accepted.map(([, v]) => decimalToNano(v!)));
  });

  test('agrees with resource.ParseQuantity on random quantities', () => {
    const digits = fc.stringMatching(/^\d{0,12}$/);
    const text = fc.tuple(
      fc.constantFrom('', '+', '-'), digits, fc.option(digits, { nil: undefined }),
      fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'e', 'E', 'K', 'i', 'e3', 'E-2', 'e+12', 'e-15', 'E18', 'e1.5', 'mi'),
    ).map(([s, w, f, suffix]) => `${s}${w}${f === undefined ? '' : `.${f}`}${suffix}`);
    const samples = fc.sample(text, { numRuns: 3000, seed: 17 });
    const answers = kubeCheck<{ value?: string; error?: string }>('quantity', samples);
    samples.forEach((sample, i) => {
      const ours = parseQuantityNano(sample);
      const theirs = answers[i].value === undefined ? undefined : decimalToNano(answers[i].value!);
      if (ours !== undefined) {
        // Whatever we accept, the API server accepts with the same exact value.
        expect({ sample, value: theirs }).toEqual({ sample, value: ours });
      } else if (theirs !== undefined) {
        // What we refuse and it accepts: a sign or dot without digits, or a magnitude past 2^63 - 1.
        const outOfRange = theirs > (2n ** 63n - 1n) * 10n ** 9n || theirs < -(2n ** 63n - 1n) * 10n ** 9n
          || /^(9223372036854775807(\.0+)?)$/.test(answers[i].value!.replace('-', ''));
        expect({ sample, reason: outOfRange || /^[+-]?\.?(\D|$)/.test(sample) }).toEqual({ sample, reason: true });
      }
    });
  });
});

describe('compareQuantities', () => {
  test('orders E below Ei and 1E above 1Gi (issue #17)', () => {
    expect(compareQuantities('1E', '1Ei')).toBe(-1);
    expect(compareQuantities('1E', '1Gi')).toBe(1);
    expect(compareQuantities('2Ei', '1Ei')).toBe(1);
    expect(compareQuantities('1000m', '1')).toBe(0);
  });

  test('is exact where doubles are not', () => {
    // 2^60 + 1 and 2^60 are the same double.
    expect(compareQuantities('1152921504606846977', '1Ei')).toBe(1);
    expect(parseQuantity('1Ei')).toBe(2 ** 60);
  });
});
