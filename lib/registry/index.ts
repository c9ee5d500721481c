// Public API of the registry concern: re-exports only.
export * from './registry-pull-secret';
export * from './default-service-account';
export * from './acr-credential-helper';
export * from './pull-path-check';
