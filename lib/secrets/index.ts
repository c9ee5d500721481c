// Public API of the secrets concern: re-exports only.
export * from './secret-store-provider';
export * from './secret-store';
export * from './cluster-secret-store';
export * from './external-secret';
export * from './literal-secret';
export * from './leak-guard';
export * from './manifest-reader';
