// Public API of the storage concern: re-exports only.
export * from './storage-class-base';
export * from './storage-class-preset';
export * from './encrypted-storage-class';
export * from './local-storage-class';
export * from './local-persistent-volume';
export * from './stateful-data-service';
export * from './postgres-database';
export * from './redis-cache';
