// Public API of the observability concern: re-exports only.
export {};
