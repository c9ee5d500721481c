// Public API of the secrets concern. Size and opt-in checks stay internal.
export { SecretStoreProvider } from './secret-store-provider';
export type { VaultProviderOptions, VaultAuth, AwsSecretsManagerOptions, StoreServiceAccount } from './secret-store-provider';
export { SecretStore } from './secret-store';
export type { SecretStoreProps, ISecretStore } from './secret-store';
export { ClusterSecretStore } from './cluster-secret-store';
export type { ClusterSecretStoreProps } from './cluster-secret-store';
export { ExternalSecret } from './external-secret';
export type { ExternalSecretProps, RemoteRef } from './external-secret';
export { LiteralSecret } from './literal-secret';
export type { LiteralSecretProps, PlaintextOptIn } from './literal-secret';
export { findSecretLeaks, assertNoSecretLeaks } from './leak-guard';
export type { LeakCheckManifest } from './leak-guard';
export { readManifests } from './manifest-reader';
export type { ReadManifest } from './manifest-reader';
