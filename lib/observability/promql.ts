// Small builders for the PromQL this concern emits: they quote label values and keep the
// matcher and grouping syntax in one place. Every expression built with them is parsed by the
// Prometheus grammar (@prometheus-io/lezer-promql) in the tests.

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** True when `name` is a valid Prometheus metric name (also the rule for alert names). */
export function isMetricName(name: string): boolean {
  return METRIC_NAME.test(name);
}

/** True when `name` is a valid Prometheus label name. */
export function isLabelName(name: string): boolean {
  return LABEL_NAME.test(name) && !name.startsWith('__');
}

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A label matcher: `label="value"`, or with `op` `!=`, `=~`, `!~`. */
export function matcher(label: string, value: string, op: '=' | '!=' | '=~' | '!~' = '='): string {
  return `${label}${op}${quote(value)}`;
}

/** `metric{m1, m2}`, or just `metric` without matchers. */
export function series(metric: string, matchers: readonly string[]): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** `by (a, b)` */
export function by(labels: readonly string[]): string {
  return `by (${labels.join(', ')})`;
}

/** `on (a, b)` */
export function on(labels: readonly string[]): string {
  return `on (${labels.join(', ')})`;
}

/** Escapes regex metacharacters so `text` matches itself inside an RE2 pattern. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Renders a number for PromQL without exponent noise (`0.85`, not `0.8500000000000001`). */
export function num(value: number): string {
  return String(Number(value.toPrecision(12)));
}
