import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { isDns1123Label, isDns1123Subdomain } from '../common/validation';

/** A ServiceAccount whose token a store presents (Vault Kubernetes auth, AWS IRSA). */
export interface StoreServiceAccount {
  /** The ServiceAccount name. */
  readonly name: string;
  /** Its namespace: required in a ClusterSecretStore, not allowed in a SecretStore. @default - the store's namespace */
  readonly namespace?: string;
}

/** How external-secrets logs in to Vault. */
export interface VaultAuth {
  /**
   * Kubernetes auth (recommended): the Vault role bound to a ServiceAccount.
   * @default - required unless `tokenSecret` is given
   */
  readonly kubernetes?: {
    /** The Vault role. */
    readonly role: string;
    /** Where the Kubernetes auth method is mounted. @default 'kubernetes' */
    readonly mountPath?: string;
    /** The ServiceAccount whose token is presented. @default - the external-secrets controller's own */
    readonly serviceAccount?: StoreServiceAccount;
  };
  /** A Vault token kept in an existing Secret (a reference: the token never enters the manifests). @default - none */
  readonly tokenSecret?: { readonly name: string; readonly key: string; readonly namespace?: string };
}

/** Options of {@link SecretStoreProvider.vault}. */
export interface VaultProviderOptions {
  /** The Vault address, https (e.g. 'https://vault.company.com:8200'). */
  readonly server: string;
  /** The KV secrets engine mount. @default 'secret' */
  readonly path?: string;
  /** The KV engine version. @default 'v2' */
  readonly version?: 'v1' | 'v2';
  /** A Vault Enterprise namespace. @default - none */
  readonly vaultNamespace?: string;
  /** How to log in. */
  readonly auth: VaultAuth;
  /** Allow an `http://` server, with the reason (tokens and secrets then cross the network in clear). @default - https required */
  readonly plainHttpReason?: string;
}

/** Options of {@link SecretStoreProvider.awsSecretsManager}. */
export interface AwsSecretsManagerOptions {
  /** The AWS region (e.g. 'eu-west-1'). */
  readonly region: string;
  /** An IAM role to assume (`arn:aws:iam::<12 digits>:role/<name>`). @default - none */
  readonly role?: string;
  /**
   * The ServiceAccount annotated for IRSA whose token is exchanged for credentials.
   * @default - the controller's own credentials (IRSA/Pod Identity on the controller)
   */
  readonly serviceAccount?: StoreServiceAccount;
}

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$/;
const AWS_ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,128}$/;

/**
 * The secret manager a SecretStore or ClusterSecretStore reads from: HashiCorp Vault or AWS
 * Secrets Manager. Credentials are only ever references (a ServiceAccount, a Secret name), never
 * values. Alibaba Cloud KMS is not offered: the `external-secrets.io/v1` schema this library
 * targets has no `alibaba` provider (only `v1beta1` does, and external-secrets 2.0 removed it).
 */
export abstract class SecretStoreProvider {
  /** Reads from a Vault KV engine. */
  public static vault(options: VaultProviderOptions): SecretStoreProvider {
    return new VaultProvider(options);
  }

  /** Reads from AWS Secrets Manager. */
  public static awsSecretsManager(options: AwsSecretsManagerOptions): SecretStoreProvider {
    return new AwsProvider(options);
  }

  /** The provider kind, e.g. 'vault'. */
  public abstract readonly kind: string;

  /**
   * Validates the options for `scope` and renders the `spec.provider` object.
   * @internal
   */
  public abstract _render(scope: IConstruct, clusterScoped: boolean): Record<string, unknown>;
}

function checkServiceAccount(
  scope: IConstruct, what: string, sa: StoreServiceAccount | undefined, clusterScoped: boolean,
): Record<string, unknown> | undefined {
  if (sa === undefined) return undefined;
  if (!isDns1123Subdomain(sa.name)) {
    fail(scope, `${what}.name ${show(sa.name)} is not a valid ServiceAccount name: use a DNS-1123 subdomain (e.g. 'external-secrets').`);
  }
  if (clusterScoped && sa.namespace === undefined) {
    fail(scope, `${what} ${show(sa.name)} has no namespace: a ClusterSecretStore serves every namespace, so name the ServiceAccount's namespace.`);
  }
  if (!clusterScoped && sa.namespace !== undefined) {
    fail(scope, `${what} ${show(sa.name)} sets namespace ${show(sa.namespace)}: a SecretStore may only use ServiceAccounts of its own namespace; drop 'namespace' or use a ClusterSecretStore.`);
  }
  if (sa.namespace !== undefined && !isDns1123Label(sa.namespace)) {
    fail(scope, `${what}.namespace ${show(sa.namespace)} is not a valid namespace: use a DNS-1123 label.`);
  }
  return sa.namespace === undefined ? { name: sa.name } : { name: sa.name, namespace: sa.namespace };
}

class VaultProvider extends SecretStoreProvider {
  public readonly kind = 'vault';
  constructor(private readonly options: VaultProviderOptions) { super(); }

  public _render(scope: IConstruct, clusterScoped: boolean): Record<string, unknown> {
    const o = this.options;
    const url = /^(https?):\/\/[A-Za-z0-9.-]+(:\d{1,5})?\/?$/.exec(o.server);
    if (!url) {
      fail(scope, `Vault server ${show(o.server)} is not a URL: use scheme://host[:port] (e.g. 'https://vault.company.com:8200').`);
    }
    if (url[1] === 'http' && (o.plainHttpReason ?? '').trim() === '') {
      fail(scope, `Vault server ${show(o.server)} uses plain http, which sends the Vault token and every secret in clear: use https, or set 'plainHttpReason' to say why the network is trusted.`);
    }
    const path = o.path ?? 'secret';
    if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(path)) {
      fail(scope, `Vault path ${show(path)} is not a mount path: use the KV engine mount without leading or trailing '/' (e.g. 'secret').`);
    }
    const auth: Record<string, unknown> = {};
    const a = o.auth;
    if ((a.kubernetes === undefined) === (a.tokenSecret === undefined)) {
      fail(scope, "Vault 'auth' must set exactly one of 'kubernetes' (recommended: { role: 'app' }) or 'tokenSecret'.");
    }
    if (a.kubernetes !== undefined) {
      if (a.kubernetes.role.trim() === '') fail(scope, "Vault 'auth.kubernetes.role' is empty: give the Vault role bound to the ServiceAccount.");
      auth.kubernetes = {
        mountPath: a.kubernetes.mountPath ?? 'kubernetes',
        role: a.kubernetes.role,
        serviceAccountRef: checkServiceAccount(scope, 'Vault auth.kubernetes.serviceAccount', a.kubernetes.serviceAccount, clusterScoped),
      };
    }
    if (a.tokenSecret !== undefined) {
      const t = a.tokenSecret;
      if (!isDns1123Subdomain(t.name)) fail(scope, `Vault 'auth.tokenSecret.name' ${show(t.name)} is not a valid Secret name: use a DNS-1123 subdomain.`);
      if (clusterScoped && t.namespace === undefined) fail(scope, `Vault 'auth.tokenSecret' ${show(t.name)} has no namespace: a ClusterSecretStore must name the Secret's namespace.`);
      auth.tokenSecretRef = { name: t.name, key: t.key, namespace: t.namespace };
    }
    return { vault: { server: o.server, path, version: o.version ?? 'v2', namespace: o.vaultNamespace, auth } };
  }
}

class AwsProvider extends SecretStoreProvider {
  public readonly kind = 'aws';
  constructor(private readonly options: AwsSecretsManagerOptions) { super(); }

  public _render(scope: IConstruct, clusterScoped: boolean): Record<string, unknown> {
    const o = this.options;
    if (!AWS_REGION.test(o.region)) {
      fail(scope, `AWS region ${show(o.region)} is not a region code: use e.g. 'eu-west-1', 'us-east-1' or 'ap-southeast-1'.`);
    }
    if (o.role !== undefined && !AWS_ROLE_ARN.test(o.role)) {
      fail(scope, `AWS role ${show(o.role)} is not an IAM role ARN: use 'arn:aws:iam::<12-digit account>:role/<name>'.`);
    }
    const sa = checkServiceAccount(scope, 'AWS serviceAccount', o.serviceAccount, clusterScoped);
    return {
      aws: {
        service: 'SecretsManager',
        region: o.region,
        role: o.role,
        auth: sa === undefined ? undefined : { jwt: { serviceAccountRef: sa } },
      },
    };
  }
}
