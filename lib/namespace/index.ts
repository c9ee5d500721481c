// Public API of the namespace concern: re-exports only.
export * from './restricted-namespace';
export * from './pod-security-policy';
export * from './rbac-rules';
export * from './rbac-role';
export * from './rbac-cluster-role';
export * from './quota-demand';
