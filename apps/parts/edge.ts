import { Chart, Duration, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { AcmeClusterIssuer, IngressClass, SecureIngress } from '../../lib/ingress';
import { NamespacePeer } from '../../lib/network/implied-flows';
import { AcrCredentialHelper, AcrRegistry, IRegistryPullSecret, RegistryPullSecret } from '../../lib/registry';
import { ExternalSecret, ISecretStore, RemoteRef, SecretStore, SecretStoreProvider } from '../../lib/secrets';
import { SecureDeployment } from '../../lib/workload/secure-deployment';
import { IPullSecretWorkload, IWorkload } from '../../lib/workload/workload';

/** The name of the pull secret the `aws` stacks use (pass it to SecureDeployment `imagePullSecrets`). */
export const PULL_SECRET_NAME = 'regcred';

/** Options of {@link addEdgeClusterBaseline}. */
export interface EdgeClusterBaselineOptions {
  /** The ACME account e-mail for Let's Encrypt notices. @default 'platform@company.com' */
  readonly acmeEmail?: string;
}

/** The cluster-scoped half of the edge. */
export interface EdgeClusterBaseline {
  readonly ingressClass: IngressClass;
  readonly issuer: AcmeClusterIssuer;
}

/**
 * The cluster-scoped edge objects, once per cluster (not per environment, or two environments'
 * GitOps applications would both own them): the default `nginx` IngressClass and the
 * `letsencrypt-prod` ACME ClusterIssuer.
 */
export function addEdgeClusterBaseline(scope: Construct, options: EdgeClusterBaselineOptions = {}): EdgeClusterBaseline {
  const ingressClass = new IngressClass(scope, 'ingress-class', { name: 'nginx', isDefault: true });
  const issuer = new AcmeClusterIssuer(scope, 'letsencrypt-prod', {
    name: 'letsencrypt-prod',
    email: options.acmeEmail ?? 'platform@company.com',
    ingressClassName: ingressClass.name,
  });
  return { ingressClass, issuer };
}

/** Options of {@link addRegistryCredentials}. */
export interface RegistryCredentialsOptions {
  /** The cloud: `aws` pulls with a pull secret from the secret store; `alibaba` uses ACK's ACR credential helper. */
  readonly cloud: 'aws' | 'alibaba';
  /** The namespace of the workloads. @default - the chart's namespace */
  readonly namespace?: string;
  /** The store the docker config is read from (`aws`). @default - the store {@link addSecretStore} creates */
  readonly store?: ISecretStore;
  /** The remote key holding the docker config JSON (`aws`). @default '<namespace>/registry/regcred' */
  readonly remoteKey?: string;
  /**
   * The workloads that pull from the registry: on `aws` their pods get the pull secret (on
   * `alibaba` the cluster baseline's ACR helper serves their ServiceAccounts). @default []
   */
  readonly workloads?: IPullSecretWorkload[];
}

/** What {@link addRegistryCredentials} created. */
export interface RegistryCredentials {
  /** The pull secret (`aws`); pass `pullSecret.secretName` to SecureDeployment `imagePullSecrets`. */
  readonly pullSecret?: IRegistryPullSecret;
}

/** Options of {@link addSecretStore}. */
export interface SecretStoreOptions {
  /** The namespace. @default - the chart's namespace */
  readonly namespace?: string;
  /** The Vault address. @default 'https://vault.company.com:8200' */
  readonly vaultServer?: string;
  /** The Vault role bound to the namespace's ServiceAccounts. @default - the namespace */
  readonly vaultRole?: string;
}

/**
 * The namespace's SecretStore `vault`: Vault's KV v2 engine at `secret/`, logged in to with
 * Kubernetes auth (no token in the manifests).
 */
export function addSecretStore(scope: Construct, options: SecretStoreOptions = {}): SecretStore {
  const namespace = options.namespace ?? Chart.of(scope).namespace ?? 'default';
  return new SecretStore(scope, 'vault', {
    namespace,
    provider: SecretStoreProvider.vault({
      server: options.vaultServer ?? 'https://vault.company.com:8200',
      auth: { kubernetes: { role: options.vaultRole ?? namespace } },
    }),
  });
}

/**
 * Registry credentials for the namespace. On `aws`, the `regcred` pull secret comes from the
 * secret store through an ExternalSecret and is added to the pods of `workloads`. The namespace's
 * `default` ServiceAccount is left to the cluster, which creates it (declaring it too would give
 * it two owners). On `alibaba`, nothing is added per namespace: ACK's
 * `aliyun-acr-credential-helper` is configured once per cluster, by the cluster baseline
 * ({@link addAcrCredentialHelper}), for every environment's namespace.
 */
export function addRegistryCredentials(scope: Construct, options: RegistryCredentialsOptions): RegistryCredentials {
  const namespace = options.namespace ?? Chart.of(scope).namespace ?? 'default';
  if (options.cloud === 'alibaba') return {};
  const store = options.store ?? addSecretStore(scope, { namespace });
  const pullSecret = new RegistryPullSecret(scope, PULL_SECRET_NAME, {
    namespace,
    fromExternalSecret: { store, remoteKey: options.remoteKey ?? `${namespace}/registry/regcred` },
  });
  for (const workload of options.workloads ?? []) workload.addImagePullSecrets(pullSecret);
  return { pullSecret };
}

/** Options of {@link addAcrCredentialHelper}. */
export interface AcrCredentialHelperOptions {
  /** The namespaces of every environment of the cluster. */
  readonly watchNamespaces: string[];
  /** The ServiceAccounts whose pods pull from ACR. @default ['default'] */
  readonly serviceAccounts?: string[];
  /** The ACR instances. @default - the Personal Edition instance of cn-hangzhou (`registry.cn-hangzhou.aliyuncs.com`) */
  readonly acrRegistries?: AcrRegistry[];
  /** Where the ACR helper sends notices. @default - none */
  readonly notifyEmail?: string;
}

/**
 * The cluster's one `kube-system/acr-configuration` (ACK's ACR credential helper), watching every
 * environment's namespace: a single owner, so two environments never overwrite each other's
 * `watch-namespace`.
 */
export function addAcrCredentialHelper(scope: Construct, options: AcrCredentialHelperOptions): AcrCredentialHelper {
  return new AcrCredentialHelper(scope, 'acr-credential-helper', {
    watchNamespaces: [...options.watchNamespaces],
    serviceAccounts: [...(options.serviceAccounts ?? ['default'])],
    notifyEmail: options.notifyEmail,
    registries: options.acrRegistries ?? [{ regionId: 'cn-hangzhou', domains: ['registry.cn-hangzhou.aliyuncs.com'] }],
  });
}

/** The four services behind the edge. */
export interface EdgeBackends {
  readonly userService: IWorkload;
  readonly orderService: IWorkload;
  readonly paymentService: IWorkload;
  readonly frontend: IWorkload;
}

/** Options of {@link addEdge}. */
export interface EdgeOptions {
  /** The public host names. @default { api: 'api.company.com', app: 'app.company.com' } */
  readonly hosts?: { readonly api: string; readonly app: string };
  /** The IngressClass the cluster baseline installs. @default 'nginx' */
  readonly ingressClassName?: string;
  /** The ClusterIssuer the cluster baseline installs. @default 'letsencrypt-prod' */
  readonly clusterIssuerName?: string;
  /** Where the ingress controller runs, for the flows the Ingress opens to its backends. @default DEFAULT_INGRESS_CONTROLLER */
  readonly ingressController?: NamespacePeer;
  /** The store the application secrets come from. @default - the store {@link addSecretStore} creates */
  readonly store?: ISecretStore;
  /**
   * The keys of `user-service-secrets` and where each lives.
   * @default { 'database-password': { key: '<namespace>/user-service', property: 'database-password' } }
   */
  readonly userServiceSecrets?: Record<string, string | RemoteRef>;
}

/** What {@link addEdge} created. */
export interface Edge {
  readonly ingress: SecureIngress;
  readonly userServiceSecrets: ExternalSecret;
}

/**
 * The production edge: the default `nginx` IngressClass, the `letsencrypt-prod` ClusterIssuer,
 * one Ingress for `api.company.com` (`/api/v1/users|orders|payments`) and `app.company.com`
 * (frontend) with TLS, forced HTTPS, HSTS and security headers, CORS for the app origin, a 10 MiB
 * body limit, 60s proxy timeouts and per-client rate limits, and the ExternalSecret
 * `user-service-secrets`. The controller must allow the header names: see
 * `edge.ingress.controllerConfig`.
 */
export function addEdge(scope: Construct, backends: EdgeBackends, options: EdgeOptions = {}): Edge {
  const namespace = Chart.of(scope).namespace ?? 'default';
  const hosts = options.hosts ?? { api: 'api.company.com', app: 'app.company.com' };
  const ingress = new SecureIngress(scope, 'edge', {
    name: 'shop-edge',
    ingressClassName: options.ingressClassName ?? 'nginx',
    clusterIssuer: options.clusterIssuerName ?? 'letsencrypt-prod',
    ingressController: options.ingressController,
    routes: [
      { host: hosts.api, path: '/api/v1/users', backend: backends.userService, port: 'http' },
      { host: hosts.api, path: '/api/v1/orders', backend: backends.orderService, port: 'http' },
      { host: hosts.api, path: '/api/v1/payments', backend: backends.paymentService, port: 'http' },
      { host: hosts.app, path: '/', backend: backends.frontend, port: 'http' },
    ],
    cors: {
      allowOrigins: [`https://${hosts.app}`],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type'],
      allowCredentials: true,
      maxAge: Duration.minutes(10),
    },
    maxBodySize: Size.mebibytes(10),
    timeouts: { connect: Duration.seconds(5), send: Duration.seconds(60), read: Duration.seconds(60) },
    rateLimit: { requestsPerSecond: 10, burstMultiplier: 5, connections: 20 },
  });
  const store = options.store ?? (scope.node.tryFindChild('vault') as SecretStore | undefined) ?? addSecretStore(scope, { namespace });
  const userServiceSecrets = new ExternalSecret(scope, 'user-service-secrets', {
    name: 'user-service-secrets',
    store,
    data: options.userServiceSecrets ?? { 'database-password': { key: `${namespace}/user-service`, property: 'database-password' } },
  });
  return { ingress, userServiceSecrets };
}

/** The shop's four SecureDeployments. */
export interface ShopServices {
  readonly frontend: SecureDeployment;
  readonly userService: SecureDeployment;
  readonly orderService: SecureDeployment;
  readonly paymentService: SecureDeployment;
}

/** Options of {@link addShopEdge}. */
export interface ShopEdgeOptions extends EdgeOptions {
  /** The cloud, which decides how images are pulled. */
  readonly cloud: 'aws' | 'alibaba';
}

/**
 * Everything the shop stack gains at the edge, in one call at the end of its constructor:
 * registry credentials (on `aws` the `regcred` pull secret is added to the four Deployments; on
 * `alibaba` the cluster baseline's ACR credential helper serves them), the secret store, and
 * {@link addEdge}.
 */
export function addShopEdge(scope: Construct, services: ShopServices, options: ShopEdgeOptions): Edge & RegistryCredentials {
  const workloads = [services.frontend, services.userService, services.orderService, services.paymentService];
  const credentials = addRegistryCredentials(scope, { cloud: options.cloud, store: options.store, workloads });
  return { ...credentials, ...addEdge(scope, services, options) };
}
