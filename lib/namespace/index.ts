// Public API of the namespace concern: re-exports only.
export * from './restricted-namespace';
