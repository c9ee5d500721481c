import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { wholeSeconds } from './go-duration';
import { ISecretStore } from './secret-store';
import { SecretStoreProvider } from './secret-store-provider';
import { ClusterSecretStore as ClusterSecretStoreResource, ClusterSecretStoreSpecProvider, ClusterSecretStoreSpecRefreshInterval } from '../../imports/externalsecrets-clustersecretstores-external-secrets.io';
import { requireClusterScope } from '../common/cluster-scope';
import { fail } from '../common/errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../common/validation';

/** Props of {@link ClusterSecretStore}. */
export interface ClusterSecretStoreProps {
  /** The store name. @default - the construct id */
  readonly name?: string;
  /** The secret manager it reads from. */
  readonly provider: SecretStoreProvider;
  /**
   * The namespaces whose ExternalSecrets may use the store (`spec.conditions`). A store open to
   * every namespace lets any namespace read any secret the store can: name them.
   */
  readonly namespaces: string[];
  /** How often the controller re-checks the store's credentials. @default - the controller's */
  readonly refreshInterval?: Duration;
}

/**
 * An external-secrets `ClusterSecretStore` (`external-secrets.io/v1`), limited to the listed
 * namespaces by default (a cluster-wide store would let every namespace read every secret).
 */
export class ClusterSecretStore extends Construct implements ISecretStore {
  /** A reference to an existing ClusterSecretStore. */
  public static fromName(storeName: string): ISecretStore {
    return { storeName, storeKind: 'ClusterSecretStore' };
  }

  public readonly storeName: string;
  public readonly storeKind = 'ClusterSecretStore' as const;
  public readonly storeNamespace = undefined;

  constructor(scope: Construct, id: string, props: ClusterSecretStoreProps) {
    super(scope, id);
    requireClusterScope(this, 'ClusterSecretStore');
    this.storeName = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.storeName);
    if (props.namespaces.length === 0) {
      fail(this, "'namespaces' is empty: list the namespaces whose ExternalSecrets may read from this store (e.g. ['production']).");
    }
    for (const ns of props.namespaces) validateDns1123Label(this, 'namespaces entry', ns);
    const provider = props.provider._render(this, true) as unknown as ClusterSecretStoreSpecProvider;
    new ClusterSecretStoreResource(this, 'Resource', {
      metadata: { name: this.storeName },
      spec: {
        provider,
        conditions: [{ namespaces: [...props.namespaces].sort() }],
        refreshInterval: props.refreshInterval === undefined ? undefined : ClusterSecretStoreSpecRefreshInterval.fromNumber(wholeSeconds(this, 'refreshInterval', props.refreshInterval)),
      },
    });
  }
}
