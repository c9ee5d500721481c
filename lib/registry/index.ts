// Public API of the registry concern: re-exports only.
export {};
