import { Construct } from 'constructs';
import { ClusterPolicies, ClusterPoliciesProps, PolicyPack, PolicyPackProps } from '../../lib/policy';

/** Options of {@link addPolicyPack}: the rules ({@link PolicyPackProps}) and how they are emitted. */
export interface PolicyPackOptions extends PolicyPackProps, Omit<ClusterPoliciesProps, 'pack'> {}

/**
 * Adds the policy pack to the cluster-level chart of an app stack: Gatekeeper ConstraintTemplates
 * and constraints for every enabled rule (and ValidatingAdmissionPolicies when
 * `admissionPolicies: true`). Returns the construct; pass its `pack` to `checkPolicies(app, pack)`
 * right before `app.synth()` (or to `enforcePolicies(app, pack)`, which makes `app.synth()` check)
 * so the app's own objects are held to the same rules.
 */
export function addPolicyPack(scope: Construct, options: PolicyPackOptions = {}): ClusterPolicies {
  const { gatekeeper, admissionPolicies, enforcementAction, paramsNamespace, ...packProps } = options;
  return new ClusterPolicies(scope, 'policy-pack', {
    pack: new PolicyPack(packProps),
    gatekeeper,
    admissionPolicies,
    enforcementAction,
    paramsNamespace,
  });
}
