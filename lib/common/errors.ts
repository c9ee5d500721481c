import { IConstruct } from 'constructs';

/**
 * An error in what a user asked a construct to build. Its message always starts with the
 * construct's kind and path, so a failing synth points at the line of app code to change.
 */
export class GuardrailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GuardrailError';
  }
}

/** `SecureDeployment 'shop/api'`: the prefix every message of ours starts with. */
export function describeConstruct(scope: IConstruct): string {
  return `${scope.constructor.name} '${scope.node.path}'`;
}

/**
 * Throws a {@link GuardrailError} for `scope`. Write `message` as: what is wrong, the value
 * received, what is allowed, and how to fix it.
 */
export function fail(scope: IConstruct, message: string): never {
  throw new GuardrailError(`${describeConstruct(scope)}: ${message}`);
}

/**
 * Renders a user value for an error message (strings quoted, objects as JSON). NaN and ±Infinity
 * are shown as themselves, never as JSON's `null`, which would hide what the user passed.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value, (_key, v) => (typeof v === 'number' && !Number.isFinite(v) ? `<${v}>` : typeof v === 'bigint' ? String(v) : v)) ?? String(value);
}
