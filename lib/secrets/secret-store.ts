import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeSeconds } from './go-duration';
import { SecretStoreProvider } from './secret-store-provider';
import { SecretStore as SecretStoreResource, SecretStoreSpecProvider, SecretStoreSpecRefreshInterval } from '../../imports/externalsecrets-secretstores-external-secrets.io';
import { resolveNamespace } from '../common/namespace';
import { validateDns1123Subdomain } from '../common/validation';

/** A store an ExternalSecret reads from: a SecretStore (one namespace) or a ClusterSecretStore. */
export interface ISecretStore {
  /** The store name. */
  readonly storeName: string;
  /** The store kind. */
  readonly storeKind: 'SecretStore' | 'ClusterSecretStore';
  /** The namespace of a SecretStore; `undefined` for a ClusterSecretStore. */
  readonly storeNamespace?: string;
}

/** Props of {@link SecretStore}. */
export interface SecretStoreProps {
  /** The store name. @default - the construct id */
  readonly name?: string;
  /** The namespace it serves. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** The secret manager it reads from. */
  readonly provider: SecretStoreProvider;
  /** How often the controller re-checks the store's credentials. @default - the controller's */
  readonly refreshInterval?: Duration;
}

/**
 * An external-secrets `SecretStore` (`external-secrets.io/v1`): a secret manager connection that
 * ExternalSecrets of one namespace can read from. Credentials are references only.
 */
export class SecretStore extends Construct implements ISecretStore {
  /** A reference to an existing SecretStore. */
  public static fromName(storeName: string, namespace?: string): ISecretStore {
    return { storeName, storeKind: 'SecretStore', storeNamespace: namespace };
  }

  public readonly storeName: string;
  public readonly storeKind = 'SecretStore' as const;
  public readonly storeNamespace: string;

  constructor(scope: Construct, id: string, props: SecretStoreProps) {
    super(scope, id);
    this.storeName = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.storeName);
    this.storeNamespace = resolveNamespace(this, props.namespace);
    const provider = props.provider._render(this, false) as unknown as SecretStoreSpecProvider;
    new SecretStoreResource(this, 'Resource', {
      metadata: { name: this.storeName, namespace: this.storeNamespace },
      spec: {
        provider,
        refreshInterval: props.refreshInterval === undefined ? undefined : SecretStoreSpecRefreshInterval.fromNumber(wholeSeconds(this, 'refreshInterval', props.refreshInterval)),
      },
    });
  }
}
