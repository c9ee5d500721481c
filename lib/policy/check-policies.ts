import { ApiObject, App, Chart } from 'cdk8s';
import { formatViolations, ManifestWithPath, PolicyPack } from './policy-pack';

/**
 * The resolved objects of an app (or chart), each with its construct path, in synthesis order.
 * Call it after every construct is added: it resolves each ApiObject with `toJson()`.
 */
export function collectPolicyManifests(scope: App | Chart): ManifestWithPath[] {
  return scope.node.findAll()
    .filter((c): c is ApiObject => ApiObject.isApiObject(c))
    .map((obj) => ({ manifest: obj.toJson(), path: obj.node.path }));
}

/**
 * The synth-time guardrail: checks every object of `app` against `pack` and throws one
 * `PolicyViolationError` naming, for each violation, the rule, the object, its construct path and
 * how to fix or suppress it. Call it before writing YAML (e.g. right before `app.synth()`).
 */
export function checkPolicies(app: App | Chart, pack: PolicyPack = new PolicyPack()): void {
  pack.check(collectPolicyManifests(app));
}

/** Same as {@link checkPolicies} for objects already resolved (e.g. read back from YAML). */
export function checkManifests(manifests: readonly ManifestWithPath[], pack: PolicyPack = new PolicyPack()): void {
  pack.check(manifests);
}

/**
 * Makes `app.synth()` (and `Testing.synth`) run the check itself: adds a validation to the app,
 * which cdk8s runs on every construct before it writes any file. Objects added after this call are
 * checked too, since the objects are collected when validation runs.
 */
export function enforcePolicies(app: App, pack: PolicyPack = new PolicyPack()): void {
  app.node.addValidation({
    validate: () => {
      const violations = pack.evaluate(collectPolicyManifests(app));
      return violations.length > 0 ? [formatViolations(violations)] : [];
    },
  });
}
