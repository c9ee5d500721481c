import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail } from '../common/errors';

/**
 * Renders a whole number of seconds as a Go duration (`1h`, `15m`, `1h30m`, `45s`), the form
 * controllers written in Go parse. Throws unless the duration is whole seconds within [min, max].
 */
export function goDuration(scope: IConstruct, what: string, duration: Duration, minSeconds = 1, maxSeconds = Number.MAX_SAFE_INTEGER): string {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < minSeconds || seconds > maxSeconds) {
    const range = maxSeconds === Number.MAX_SAFE_INTEGER ? `at least ${minSeconds}s` : `from ${minSeconds}s to ${maxSeconds}s`;
    fail(scope, `'${what}' (${seconds}s) is not allowed: use a whole number of seconds ${range} (e.g. Duration.minutes(15)).`);
  }
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 || seconds === 0 ? `${s}s` : ''}`;
}

/** The whole seconds of `duration`; throws unless it is a whole number of at least 1. */
export function wholeSeconds(scope: IConstruct, what: string, duration: Duration): number {
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 1) {
    fail(scope, `'${what}' (${seconds}s) is not allowed: use a whole number of seconds of at least 1 (e.g. Duration.minutes(5)).`);
  }
  return seconds;
}
