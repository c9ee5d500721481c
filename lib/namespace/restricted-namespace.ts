import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { kubernetesVersionOf, podSecurityVersionFor } from '../common/kubernetes-version';
import { MANAGED_BY } from '../common/labels';
import { parseQuantity, requireQuantity, requireRequestWithinLimit } from '../common/quantity';
import { validateDns1123Label, validateInteger, validateLabels } from '../common/validation';
import { dnsEgressRule } from '../network/dns';
import { addManifestCheck } from '../synth/manifest-checks';
import { NamespaceDemand, namespaceDemand } from './quota-demand';

/** The Pod Security Standards version the namespace labels pin when no target Kubernetes minor is set. */
export const DEFAULT_POD_SECURITY_VERSION = 'v1.28';

/** Limits of a namespace's ResourceQuota. Quantities are Kubernetes quantities (`'10'`, `'500m'`, `'20Gi'`). */
export interface NamespaceQuotaOptions {
  /** Sum of cpu requests of all pods. @default '10' */
  readonly requestsCpu?: string;
  /** Sum of memory requests of all pods. @default '20Gi' */
  readonly requestsMemory?: string;
  /** Sum of cpu limits of all pods. @default '20' */
  readonly limitsCpu?: string;
  /** Sum of memory limits of all pods. @default '40Gi' */
  readonly limitsMemory?: string;
  /** Number of pods. @default 50 */
  readonly pods?: number;
  /** Number of PersistentVolumeClaims. @default 10 */
  readonly persistentVolumeClaims?: number;
  /** Number of Services of type LoadBalancer (each one costs a cloud load balancer). @default 2 */
  readonly loadBalancers?: number;
  /**
   * Number of node ports. LoadBalancer Services allocate node ports too (unless
   * `allocateLoadBalancerNodePorts: false`), so a cap here also caps load balancers.
   * @default - no cap
   */
  readonly nodePorts?: number;
}

/** Default requests and limits the LimitRange gives each container that sets none. */
export interface NamespaceLimitRangeOptions {
  /** Default cpu request. @default '100m' */
  readonly defaultRequestCpu?: string;
  /** Default memory request. @default '128Mi' */
  readonly defaultRequestMemory?: string;
  /** Default cpu limit. @default '500m' */
  readonly defaultLimitCpu?: string;
  /** Default memory limit. @default '512Mi' */
  readonly defaultLimitMemory?: string;
}

/** Props of {@link RestrictedNamespace}. */
export interface RestrictedNamespaceProps {
  /** The namespace name (DNS-1123 label). */
  readonly name: string;
  /** Extra labels on the Namespace (the Pod Security and `name` labels always win). @default - none */
  readonly labels?: Record<string, string>;
  /**
   * The Pod Security Standards version for the `-version` labels (`v1.<minor>` or `latest`).
   * @default - the target Kubernetes minor of the scope (`setKubernetesVersion`), else 'v1.28'
   */
  readonly podSecurityVersion?: string;
  /** The ResourceQuota; `false` leaves the namespace without one. @default - the defaults of {@link NamespaceQuotaOptions} */
  readonly quota?: NamespaceQuotaOptions | false;
  /** The LimitRange; `false` leaves containers without default requests/limits. @default - the defaults of {@link NamespaceLimitRangeOptions} */
  readonly limitRange?: NamespaceLimitRangeOptions | false;
  /** Emit the `default-deny-all` NetworkPolicy (ingress and egress denied for every pod). @default true */
  readonly defaultDeny?: boolean;
  /** Emit the `allow-dns` NetworkPolicy (every pod may query kube-dns on UDP/TCP 53). @default true */
  readonly allowDns?: boolean;
}

/** The quota of a {@link RestrictedNamespace} with its defaults applied. */
export type ResolvedQuota = Required<Omit<NamespaceQuotaOptions, 'nodePorts'>> & Pick<NamespaceQuotaOptions, 'nodePorts'>;

const QUOTA_DEFAULTS: ResolvedQuota = {
  requestsCpu: '10', requestsMemory: '20Gi', limitsCpu: '20', limitsMemory: '40Gi',
  pods: 50, persistentVolumeClaims: 10, loadBalancers: 2,
};

/** Quota keys, the prop that sets each, and how to print an amount of it. */
const QUOTA_KEYS: readonly [keyof NamespaceDemand, keyof ResolvedQuota, (n: number) => string][] = [
  ['requests.cpu', 'requestsCpu', cores], ['requests.memory', 'requestsMemory', gibibytes],
  ['limits.cpu', 'limitsCpu', cores], ['limits.memory', 'limitsMemory', gibibytes],
  ['pods', 'pods', String], ['persistentvolumeclaims', 'persistentVolumeClaims', String],
  ['services.loadbalancers', 'loadBalancers', String],
];

function cores(n: number): string {
  return `${Math.round(n * 1000) / 1000}`;
}

function gibibytes(n: number): string {
  return `${Math.round((n / 2 ** 30) * 100) / 100}Gi`;
}

const LIMIT_RANGE_DEFAULTS: Required<NamespaceLimitRangeOptions> = {
  defaultRequestCpu: '100m', defaultRequestMemory: '128Mi', defaultLimitCpu: '500m', defaultLimitMemory: '512Mi',
};

/**
 * A namespace that enforces the Pod Security Standards *restricted* profile through Pod
 * Security Admission (`enforce`, `audit` and `warn`, pinned to a version), with a
 * ResourceQuota, a LimitRange with container defaults, a default-deny NetworkPolicy for all
 * pods and ingress/egress, and an egress policy that keeps cluster DNS reachable. Each part
 * can be turned off explicitly.
 *
 * This replaces the removed PodSecurityPolicy API (gone since Kubernetes 1.25). The Namespace
 * object is written first in its chart, even when the chart's workloads were created earlier.
 */
export class RestrictedNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Pod Security Standards version pinned by the labels. */
  public readonly podSecurityVersion: string;
  /** The resolved quota, or `undefined` when turned off. */
  public readonly quota?: ResolvedQuota;
  /** The resolved container defaults, or `undefined` when turned off. */
  public readonly limitRange?: Required<NamespaceLimitRangeOptions>;
  /** Whether the default-deny policy is emitted. */
  public readonly defaultDeny: boolean;
  /** Whether the allow-DNS policy is emitted. */
  public readonly allowDns: boolean;

  constructor(scope: Construct, id: string, props: RestrictedNamespaceProps) {
    super(scope, id);
    validateDns1123Label(this, 'name', props.name);
    this.name = props.name;
    this.podSecurityVersion = props.podSecurityVersion ?? podSecurityVersionFor(kubernetesVersionOf(this));
    if (!/^(v1\.\d+|latest)$/.test(this.podSecurityVersion)) {
      fail(this, `podSecurityVersion ${show(this.podSecurityVersion)} is not a Pod Security Standards version: use 'v1.<minor>' (e.g. ${show(DEFAULT_POD_SECURITY_VERSION)}) or 'latest'.`);
    }
    validateLabels(this, 'labels', props.labels ?? {});
    this.defaultDeny = props.defaultDeny ?? true;
    this.allowDns = props.allowDns ?? true;

    const labels: Record<string, string> = {
      ...(props.labels ?? {}),
      'app.kubernetes.io/managed-by': MANAGED_BY,
      'kubernetes.io/metadata.name': this.name,
      'name': this.name,
    };
    for (const mode of ['enforce', 'audit', 'warn']) {
      labels[`pod-security.kubernetes.io/${mode}`] = 'restricted';
      labels[`pod-security.kubernetes.io/${mode}-version`] = this.podSecurityVersion;
    }
    const namespace = new k8s.KubeNamespace(this, 'Namespace', {
      metadata: { name: this.name, labels: sortKeys(labels) },
    });
    // A Namespace is cluster-scoped: drop the namespace cdk8s copies from a namespaced chart.
    const chart = Chart.of(this);
    if (chart.namespace !== undefined) namespace.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    // Write the Namespace before everything else of its chart, so `kubectl apply -f` creates it
    // before the objects that live in it (objects added later already come after it).
    for (const sibling of chart.node.children) {
      if (sibling !== this && !this.node.scopes.includes(sibling)) sibling.node.addDependency(namespace);
    }

    if (props.limitRange !== false) {
      this.limitRange = { ...LIMIT_RANGE_DEFAULTS, ...definedOnly(props.limitRange ?? {}) };
      this.addLimitRange(this.limitRange);
    }
    if (props.quota !== false) {
      this.quota = { ...QUOTA_DEFAULTS, ...definedOnly(props.quota ?? {}) };
      this.addQuota(this.quota);
      // Checked on the whole app's resolved manifests, once per synth under the library's synth.
      addManifestCheck(this, (manifests) => this.quotaShortfalls(manifests.inNamespace(this.name)));
    }
    if (this.defaultDeny) {
      this.policy('DefaultDeny', 'default-deny-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    }
    if (this.allowDns) {
      this.policy('AllowDns', 'allow-dns', { podSelector: {}, policyTypes: ['Egress'], egress: [dnsEgressRule()] });
    }
  }

  private addQuota(quota: ResolvedQuota): void {
    const requestsCpu = requireQuantity(this, 'quota.requestsCpu', quota.requestsCpu, '10');
    const limitsCpu = requireQuantity(this, 'quota.limitsCpu', quota.limitsCpu, '20');
    const requestsMemory = requireQuantity(this, 'quota.requestsMemory', quota.requestsMemory, '20Gi');
    const limitsMemory = requireQuantity(this, 'quota.limitsMemory', quota.limitsMemory, '40Gi');
    if (limitsCpu < requestsCpu) {
      fail(this, `quota.limitsCpu (${quota.limitsCpu}) must be at least quota.requestsCpu (${quota.requestsCpu}); raise the limit or lower the request.`);
    }
    if (limitsMemory < requestsMemory) {
      fail(this, `quota.limitsMemory (${quota.limitsMemory}) must be at least quota.requestsMemory (${quota.requestsMemory}); raise the limit or lower the request.`);
    }
    validateInteger(this, 'quota.pods', quota.pods, 1);
    validateInteger(this, 'quota.persistentVolumeClaims', quota.persistentVolumeClaims, 0);
    validateInteger(this, 'quota.loadBalancers', quota.loadBalancers, 0);
    if (quota.nodePorts !== undefined) validateInteger(this, 'quota.nodePorts', quota.nodePorts, 0);
    const hard: Record<string, k8s.Quantity> = {
      'limits.cpu': k8s.Quantity.fromString(quota.limitsCpu),
      'limits.memory': k8s.Quantity.fromString(quota.limitsMemory),
      'persistentvolumeclaims': k8s.Quantity.fromNumber(quota.persistentVolumeClaims),
      'pods': k8s.Quantity.fromNumber(quota.pods),
      'requests.cpu': k8s.Quantity.fromString(quota.requestsCpu),
      'requests.memory': k8s.Quantity.fromString(quota.requestsMemory),
      'services.loadbalancers': k8s.Quantity.fromNumber(quota.loadBalancers),
    };
    if (quota.nodePorts !== undefined) hard['services.nodeports'] = k8s.Quantity.fromNumber(quota.nodePorts);
    new k8s.KubeResourceQuota(this, 'ResourceQuota', {
      metadata: { name: `${this.name}-quota`, namespace: this.name },
      spec: { hard },
    });
  }

  /**
   * What the quota cannot hold: the namespace's workloads (anywhere in the app) with every
   * autoscaler at its maximum and every Deployment mid-rollout.
   *
   * @param resolved the resolved manifests to sum (those of other namespaces are ignored)
   * @default - every ApiObject of the app, resolved now
   */
  public quotaShortfalls(resolved?: readonly Record<string, any>[]): string[] {
    const quota = this.quota;
    if (quota === undefined) return [];
    const manifests = resolved ?? this.node.root.node.findAll()
      .filter((c): c is ApiObject => c instanceof ApiObject)
      .map((o) => o.toJson());
    const limits = this.limitRange;
    const demand = namespaceDemand(manifests, this.name, limits === undefined ? undefined : {
      requests: { cpu: limits.defaultRequestCpu, memory: limits.defaultRequestMemory },
      limits: { cpu: limits.defaultLimitCpu, memory: limits.defaultLimitMemory },
    });
    const problems: string[] = [];
    for (const [key, prop, format] of QUOTA_KEYS) {
      const hard = quota[prop]!;
      const allowed = typeof hard === 'number' ? hard : parseQuantity(hard)!;
      if (demand[key] > allowed + 1e-9) {
        problems.push(`quota ${key} (${hard}) is below what the workloads of namespace ${show(this.name)} need at full scale (${format(demand[key])}, with autoscalers at their maximum and rolling-update surge pods): raise quota.${prop} or lower replicas or resources, or a rollout will be refused.`);
      }
    }
    return problems;
  }

  private addLimitRange(limits: Required<NamespaceLimitRangeOptions>): void {
    requireRequestWithinLimit(this, 'limitRange.defaultRequestCpu', limits.defaultRequestCpu, 'limitRange.defaultLimitCpu', limits.defaultLimitCpu, '500m');
    requireRequestWithinLimit(this, 'limitRange.defaultRequestMemory', limits.defaultRequestMemory, 'limitRange.defaultLimitMemory', limits.defaultLimitMemory, '512Mi');
    new k8s.KubeLimitRange(this, 'LimitRange', {
      metadata: { name: `${this.name}-limits`, namespace: this.name },
      spec: {
        limits: [{
          type: 'Container',
          default: { cpu: k8s.Quantity.fromString(limits.defaultLimitCpu), memory: k8s.Quantity.fromString(limits.defaultLimitMemory) },
          defaultRequest: { cpu: k8s.Quantity.fromString(limits.defaultRequestCpu), memory: k8s.Quantity.fromString(limits.defaultRequestMemory) },
        }],
      },
    });
  }

  private policy(id: string, name: string, spec: Record<string, unknown>): void {
    new ApiObject(this, id, {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: this.name },
      spec,
    });
  }
}

function sortKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
