// Public API of the ingress concern: re-exports only.
export * from './hosts';
export * from './secure-ingress';
export * from './ingress-class';
export * from './acme-cluster-issuer';
