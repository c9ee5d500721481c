// Public API of the storage concern: re-exports only.
export {};
