// Public API of the ingress concern: re-exports only.
export {};
