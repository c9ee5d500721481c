import * as fc from 'fast-check';
import { formatPrometheusDuration, parsePrometheusDuration } from '../../lib/observability/prometheus-duration';

describe('Prometheus durations', () => {
  test.each([['30s', 30_000], ['5m', 300_000], ['1h30m', 5_400_000], ['1w', 604_800_000], ['250ms', 250], ['1m5ms', 60_005], ['0', 0]])('parses %p', (text, ms) => {
    expect(parsePrometheusDuration(text)).toBe(ms);
  });

  test.each(['', '5', '1.5m', '-5m', '5M', '1m1h', '5 m', 'ms'])('rejects %p', (text) => {
    expect(parsePrometheusDuration(text)).toBeUndefined();
  });

  test('formatting and parsing round-trip', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 * 365 * 86_400_000 }), (ms) => {
      expect(parsePrometheusDuration(formatPrometheusDuration(ms))).toBe(ms);
    }));
  });
});
