// Public API of the secrets concern: re-exports only.
export {};
