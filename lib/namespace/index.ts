// Public API of the namespace concern. Rule normalisation and verb tables stay internal.
export { RestrictedNamespace } from './restricted-namespace';
export type { RestrictedNamespaceProps, NamespaceQuotaOptions, NamespaceLimitRangeOptions, ResolvedQuota } from './restricted-namespace';
export { PodSecurityPolicy } from './pod-security-policy';
export { RbacRole } from './rbac-role';
export type { RbacRoleProps } from './rbac-role';
export { RbacClusterRole } from './rbac-cluster-role';
export type { RbacClusterRoleProps } from './rbac-cluster-role';
export type { RbacRule, RbacSubject, RbacException } from './rbac-rules';
export { namespaceDemand } from './quota-demand';
export type { NamespaceDemand, ContainerDefaults } from './quota-demand';
