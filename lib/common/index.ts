// Public API of the common concern: re-exports only.
export * from './errors';
export * from './validation';
export * from './quantity';
export * from './labels';
export * from './cluster-scope';
export * from './namespace';
export * from './kubernetes-version';
