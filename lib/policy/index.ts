// Public API of the policy concern: re-exports only.
export * from './pod-security-standards';
export * from './cel';
export * from './policy-rule';
export * from './rules';
export * from './policy-pack';
export * from './policy-suppression';
export * from './check-policies';
export * from './gatekeeper-constraint';
export * from './admission-policy';
export * from './cluster-policies';
export * from './cdk8s-validation-plugin';
