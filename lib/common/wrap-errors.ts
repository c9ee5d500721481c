import { IConstruct } from 'constructs';
import { describeConstruct, GuardrailError } from './errors';

// Fixes for the cdk8s-plus errors our props can reach, matched on cdk8s-plus's own message.
const KNOWN_FIXES: [RegExp, string][] = [
  [/'maxSurge' and 'maxUnavailable' cannot be both zero/, "set 'rollingUpdate.maxSurge' or 'rollingUpdate.maxUnavailable' above zero (e.g. maxSurge: 1), or a rollout can never make progress"],
  [/already (exists|defined|mounted)|duplicate/i, 'give each item its own name or path'],
  [/must be (a )?(positive|non-negative|an integer|greater)/i, 'pass a whole, non-negative number'],
];

/**
 * Runs `build` (code that calls into cdk8s-plus or cdk8s) and re-throws any error that is not
 * already ours as a {@link GuardrailError} that starts with the construct's kind and path and says
 * how to fix it, so a failure raised deep inside a dependency still points at the line of app code.
 */
export function withConstructPath<T>(scope: IConstruct, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof GuardrailError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    const fix = KNOWN_FIXES.find(([pattern]) => pattern.test(message))?.[1]
      ?? 'check the props of this construct against its documentation (the message above comes from cdk8s-plus)';
    const error = new GuardrailError(`${describeConstruct(scope)}: ${message.replace(/\.$/, '')}; ${fix}.`);
    (error as { cause?: unknown }).cause = e;
    throw error;
  }
}
