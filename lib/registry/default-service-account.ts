import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { resolveNamespace } from '../common/namespace';
import type { IPullSecretWorkload } from '../workload/workload';
import { IRegistryPullSecret } from './registry-pull-secret';

/** Props of {@link DefaultServiceAccount}. */
export interface DefaultServiceAccountProps {
  /** The namespace whose `default` ServiceAccount this is. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** The pull secrets every pod of the namespace gets (when it runs as `default`). */
  readonly imagePullSecrets: IRegistryPullSecret[];
  /**
   * Workloads of the namespace that run under their own ServiceAccount (every `SecureDeployment`,
   * `PostgresDatabase` and `RedisCache` does), so the `default` account does not reach them: their
   * pods get the same pull secrets in `imagePullSecrets`.
   * @default []
   */
  readonly workloads?: IPullSecretWorkload[];
  /**
   * Mount the API token into pods that run as `default`. Few pods need the API: grant it
   * through a dedicated ServiceAccount instead.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
}

/**
 * The namespace's `default` ServiceAccount, declared so that it carries the registry pull
 * secrets (pods that name no ServiceAccount then pull with them) and does not mount an API token.
 */
export class DefaultServiceAccount extends Construct {
  /** The namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: DefaultServiceAccountProps) {
    super(scope, id);
    this.namespace = resolveNamespace(this, props.namespace);
    if (props.imagePullSecrets.length === 0) {
      fail(this, "'imagePullSecrets' is empty: give at least one RegistryPullSecret (or leave the default ServiceAccount alone).");
    }
    for (const secret of props.imagePullSecrets) {
      if (secret.namespace !== undefined && secret.namespace !== this.namespace) {
        fail(this, `pull secret ${show(secret.secretName)} is in namespace ${show(secret.namespace)}, not ${show(this.namespace)}: a ServiceAccount can only use pull secrets of its own namespace.`);
      }
    }
    for (const workload of props.workloads ?? []) {
      if (workload.namespace !== undefined && workload.namespace !== this.namespace) {
        fail(this, `workload ${show(workload.name)} runs in namespace ${show(workload.namespace)}, not ${show(this.namespace)}: its pods cannot use this namespace's pull secrets; declare a DefaultServiceAccount in ${show(workload.namespace)} for it.`);
      }
      workload.addImagePullSecrets(...props.imagePullSecrets);
    }
    new k8s.KubeServiceAccount(this, 'Resource', {
      metadata: { name: 'default', namespace: this.namespace },
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      imagePullSecrets: [...new Set(props.imagePullSecrets.map((s) => s.secretName))].sort().map((name) => ({ name })),
    });
  }
}
