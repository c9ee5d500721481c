// Public API of the storage concern: re-exports only.
export * from './storage-class-base';
export * from './storage-class-preset';
export * from './encrypted-storage-class';
export * from './local-storage-class';
export * from './local-persistent-volume';
