import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CalicoBgpConfiguration, CalicoDefaultDeny, CalicoInstallation, ExistingWorkload, IWorkload,
  NamespaceQuotaOptions, RestrictedNamespace, WorkloadNetworkPolicy, everyPodIsSelected,
} from '../../lib';
import { fail } from '../../lib/common/errors';

/**
 * The production shop's quota: at full scale (user-service at 10 replicas, every Deployment
 * mid-rollout, Postgres and Redis) it needs about 20.5 cpu and 19.5Gi of limits, more than
 * RestrictedNamespace's defaults; this leaves room for one more service.
 */
export const PRODUCTION_QUOTA: NamespaceQuotaOptions = {
  requestsCpu: '16', requestsMemory: '32Gi', limitsCpu: '32', limitsMemory: '64Gi', pods: 60,
};

/** Options of {@link addProductionNamespace}. */
export interface ProductionNamespaceOptions {
  /** The namespace name. @default - the namespace of `scope`'s chart */
  readonly name?: string;
  /** The quota. @default PRODUCTION_QUOTA (RestrictedNamespace's defaults for what it leaves out) */
  readonly quota?: NamespaceQuotaOptions;
}

/**
 * The production namespace: Pod Security Admission *restricted*, quota, limit range,
 * default-deny and DNS egress; and synth-time checks that every pod of the chart is selected
 * by a NetworkPolicy and that the quota holds the namespace's workloads at full scale.
 */
export function addProductionNamespace(scope: Construct, options: ProductionNamespaceOptions = {}): RestrictedNamespace {
  const chart = Chart.of(scope);
  const name = options.name ?? chart.namespace;
  if (name === undefined) {
    fail(chart, 'has no namespace, so addProductionNamespace does not know which namespace to create: pass options.name or set the chart namespace.');
  }
  const namespace = new RestrictedNamespace(scope, 'namespace', { name, quota: options.quota ?? PRODUCTION_QUOTA });
  everyPodIsSelected(chart);
  return namespace;
}

/** The workloads user-service talks to; each defaults to an {@link ExistingWorkload} with the documented labels and port. */
export interface UserServicePeers {
  /** Calls user-service on 8080. @default - `app: frontend` */
  readonly frontend?: IWorkload;
  /** user-service's database. @default - `app: postgres`, port 5432 */
  readonly postgres?: IWorkload;
  /** user-service's cache. @default - `app: redis`, port 6379 */
  readonly redis?: IWorkload;
}

/**
 * The documented user-service flows: frontend → user-service on `http` (8080); user-service →
 * Postgres 5432, Redis 6379 and cluster DNS. Nothing else in or out. Both ends of each flow are
 * written (`frontend-flows`, `postgres-flows`, `redis-flows` too), because the namespace is
 * default-deny: the peers' owners add their other flows to those policies or beside them.
 */
export function addUserServiceFlows(userService: IWorkload, peers: UserServicePeers = {}): WorkloadNetworkPolicy {
  const scope = Chart.of(userService);
  const frontend = peers.frontend ?? ExistingWorkload.fromAttributes(scope, 'peer-frontend', { name: 'frontend' });
  const postgres = peers.postgres ?? ExistingWorkload.fromAttributes(scope, 'peer-postgres', { name: 'postgres', ports: [{ name: 'postgres', number: 5432 }] });
  const redis = peers.redis ?? ExistingWorkload.fromAttributes(scope, 'peer-redis', { name: 'redis', ports: [{ name: 'redis', number: 6379 }] });
  return WorkloadNetworkPolicy.of(userService)
    .allowFrom(frontend, { port: 'http', bothEnds: true })
    .allowTo(postgres, { port: 5432, bothEnds: true })
    .allowTo(redis, { port: 6379, bothEnds: true })
    .allowToDns();
}

/** Options of {@link addCalicoClusterBaseline}. */
export interface CalicoClusterBaselineOptions {
  /** The cluster pod subnet, which is also the one IP pool. @default '10.244.0.0/16' */
  readonly podSubnet?: string;
  /** The cluster AS number. @default 64512 */
  readonly asNumber?: number;
  /** Registry for Calico images, ending with '/'. @default - the public registries */
  readonly registry?: string;
}

/** What {@link addCalicoClusterBaseline} creates. */
export interface CalicoClusterBaseline {
  readonly installation: CalicoInstallation;
  readonly bgp: CalicoBgpConfiguration;
  readonly defaultDeny: CalicoDefaultDeny;
}

/**
 * The Calico cluster baseline, for a chart without a namespace: the operator Installation (one
 * VXLAN-cross-subnet pool over the pod subnet, NAT outgoing, node address from the Kubernetes
 * InternalIP), the default BGPConfiguration (node mesh on) and the cluster-wide default-deny
 * GlobalNetworkPolicy sparing the system namespaces, with DNS allowed.
 */
export function addCalicoClusterBaseline(scope: Construct, options: CalicoClusterBaselineOptions = {}): CalicoClusterBaseline {
  const podSubnet = options.podSubnet ?? '10.244.0.0/16';
  return {
    installation: new CalicoInstallation(scope, 'calico-installation', {
      podSubnet,
      ipPools: [{ name: 'default-ipv4-ippool', cidr: podSubnet, encapsulation: 'VXLANCrossSubnet', natOutgoing: true }],
      nodeAddressAutodetectionV4: { kubernetesNodeInternalIp: true },
      registry: options.registry,
    }),
    bgp: new CalicoBgpConfiguration(scope, 'calico-bgp', { asNumber: options.asNumber ?? 64512, nodeToNodeMeshEnabled: true, logSeverityScreen: 'Info' }),
    defaultDeny: new CalicoDefaultDeny(scope, 'calico-default-deny'),
  };
}

/** A workload that records which workloads may connect to it (e.g. `PostgresDatabase`, `RedisCache`). */
export interface WorkloadWithClients extends IWorkload {
  /** The workloads allowed to connect. */
  readonly clients: readonly IWorkload[];
}

/**
 * Opens `service`'s declared ports to each of its recorded clients (both ends), and nothing
 * else. Call it after the last `addClient`.
 */
export function addDataServiceFlows(service: WorkloadWithClients): WorkloadNetworkPolicy {
  const policy = WorkloadNetworkPolicy.of(service);
  for (const client of service.clients) policy.allowFrom(client, { bothEnds: true });
  return policy;
}
