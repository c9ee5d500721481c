// Public API of the storage concern. Provisioner tables, size limits and the data services'
// shared StatefulSet plumbing stay internal.
export { StorageClassBase } from './storage-class-base';
export type { IStorageClass, StorageClassCommonProps, StorageClassSpec, ReclaimPolicy, VolumeBindingMode } from './storage-class-base';
export { StorageClassPreset } from './storage-class-preset';
export type {
  AwsEbsVolumeType, AwsEbsOptions, AwsGp3Options, AwsProvisionedIopsOptions, AwsEncryptionOptions, AlibabaDiskOptions,
  AlibabaDiskCategory, AlibabaPerformanceLevel, CsiOptions, EncryptionOptions, FileSystemType, StoragePresetProvider, ResolvedPreset,
} from './storage-class-preset';
export { EncryptedStorageClass } from './encrypted-storage-class';
export type { EncryptedStorageClassProps } from './encrypted-storage-class';
export { LocalStorageClass } from './local-storage-class';
export type { LocalStorageClassProps } from './local-storage-class';
export { LocalPersistentVolume } from './local-persistent-volume';
export type { LocalPersistentVolumeProps, LocalAccessMode } from './local-persistent-volume';
export { StatefulDataService } from './stateful-data-service';
export type { StatefulDataServiceProps, SecretKeyReference, DataServiceResources } from './stateful-data-service';
export { PostgresDatabase } from './postgres-database';
export type { PostgresDatabaseProps, PostgresCredentials, PostgresSettings } from './postgres-database';
export { RedisCache } from './redis-cache';
export type { RedisCacheProps, RedisSettings, RedisAppendFsync, RedisMaxmemoryPolicy } from './redis-cache';
