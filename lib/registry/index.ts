// Public API of the registry concern. Region and ARN checks stay internal.
export { RegistryPullSecret, addImagePullSecrets } from './registry-pull-secret';
export type {
  RegistryPullSecretProps, IRegistryPullSecret, LiteralRegistryCredentials, PullSecretFromExternalSecret,
} from './registry-pull-secret';
export { DefaultServiceAccount } from './default-service-account';
export type { DefaultServiceAccountProps } from './default-service-account';
export { AcrCredentialHelper } from './acr-credential-helper';
export type { AcrCredentialHelperProps, AcrRegistry } from './acr-credential-helper';
export { findMissingPullPaths, checkPullPaths, pullPathCheckHook } from './pull-path-check';
export type { CheckedObject, PullPathCheckOptions, PullPathFinding } from './pull-path-check';
