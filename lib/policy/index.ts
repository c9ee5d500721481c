// Public API of the policy concern: re-exports only.
export {};
