import { IConstruct } from 'constructs';
import type { IRegistryPullSecret } from './registry-pull-secret';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain } from '../common/validation';

/**
 * Adds `secrets` to a pod's pull-secret `names` (a set: merged, without duplicates), each checked:
 * a valid Secret name, and in the pods' `namespace`, since a pod can only use pull secrets of its
 * own namespace. Shared by every construct with an `addImagePullSecrets` method.
 */
export function addPullSecretNames(
  scope: IConstruct, namespace: string | undefined, names: Set<string>, secrets: readonly (string | IRegistryPullSecret)[],
): void {
  for (const secret of secrets) {
    const name = typeof secret === 'string' ? secret : secret.secretName;
    validateDns1123Subdomain(scope, "'imagePullSecrets' entry", name);
    if (typeof secret !== 'string' && secret.namespace !== undefined && namespace !== undefined && secret.namespace !== namespace) {
      fail(scope, `pull secret ${show(name)} is in namespace ${show(secret.namespace)}, but the pods run in ${show(namespace)}: pods can only use pull secrets of their own namespace; create the secret in ${show(namespace)}.`);
    }
    names.add(name);
  }
}
