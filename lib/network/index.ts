// Public API of the network concern: re-exports only.
export {};
