// Public API of the policy concern. CEL plumbing, the rule objects and their Rego helpers stay
// internal: users configure rules by id through PolicyPackProps.
export { PolicyPack, PolicyViolationError } from './policy-pack';
export type { PolicyPackProps, PolicyRuleOptions, PolicyViolation, ManifestWithPath, ConfiguredPolicyRule } from './policy-pack';
export type { PolicyRule, RuleParameter, MatchedKind, CelValidation, PodPaths } from './policy-rule';
export { PolicySuppression } from './policy-suppression';
export { checkPolicies, enforcePolicies, checkManifests } from './check-policies';
export { policyCheckHook } from './policy-check-hook';
export { GatekeeperConstraint } from './gatekeeper-constraint';
export type { GatekeeperConstraintProps } from './gatekeeper-constraint';
export { AdmissionPolicy } from './admission-policy';
export type { AdmissionPolicyProps } from './admission-policy';
export { ClusterPolicies } from './cluster-policies';
export type { ClusterPoliciesProps } from './cluster-policies';
export { GuardrailsPolicyValidation } from './cdk8s-validation-plugin';
export type { Cdk8sValidationContext } from './cdk8s-validation-plugin';
export { checkPodSecurity, checkPodSecurityOfManifests, findPodTemplates } from './pod-security-standards';
export type { PodSecurityLevel, PodSecurityViolation, PodTemplateRef } from './pod-security-standards';
