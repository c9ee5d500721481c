// Public API of the policy concern: re-exports only.
export * from './pod-security-standards';
