import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/**
 * A Prometheus duration: `30s`, `5m`, `1h30m`. Units, largest first, each at most once:
 * y, w, d, h, m, s, ms. A cdk8s `Duration` is converted to the same syntax.
 */
export type PrometheusDuration = string | Duration;

// Prometheus' model.ParseDuration grammar: one or more `<integer><unit>` parts in descending unit order.
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
const UNIT_NAMES = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];

/** The length of a Prometheus duration in milliseconds, or `undefined` when `text` is not one. */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const match = DURATION.exec(text);
  if (!match || text === '') return undefined;
  return UNIT_MS.reduce((total, unit, i) => total + Number(match[i + 1] ?? 0) * unit, 0);
}

/** Renders milliseconds in the shortest Prometheus duration syntax (`90000` → `1m30s`). */
export function formatPrometheusDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let text = '';
  UNIT_MS.forEach((unit, i) => {
    // Years and weeks are exact in Prometheus but read oddly for 7-day windows; keep them anyway.
    const count = Math.floor(rest / unit);
    if (count > 0) {
      text += `${count}${UNIT_NAMES[i]}`;
      rest -= count * unit;
    }
  });
  return text;
}

/**
 * Checks `value` and returns it in Prometheus syntax, failing on `scope` with a message naming
 * `what` when it is not a positive (or, with `allowZero`, zero) duration.
 */
export function resolvePrometheusDuration(scope: IConstruct, what: string, value: PrometheusDuration, allowZero = false): string {
  let ms: number | undefined;
  let text: string;
  if (typeof value === 'string') {
    ms = parsePrometheusDuration(value);
    text = value;
  } else {
    const raw = value.toMilliseconds({ integral: false });
    ms = Number.isInteger(raw) && raw >= 0 ? raw : undefined;
    text = ms === undefined ? `${raw}ms` : formatPrometheusDuration(ms);
  }
  if (ms === undefined) {
    fail(scope, `${what} ${show(typeof value === 'string' ? value : text)} is not a Prometheus duration: use whole numbers with the units y, w, d, h, m, s, ms, largest first (e.g. '30s', '5m', '1h30m').`);
  }
  if (ms === 0 && !allowZero) {
    fail(scope, `${what} ${show(text)} must be longer than zero: use a duration such as '30s' or '5m'.`);
  }
  return text;
}
