import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { isLabelValue, validateLabels, validatePortNumber } from '../common/validation';
import { IWorkload, WorkloadPort } from '../workload/workload';
import { requireCidr, cidrContains } from './cidr';
import { ExistingWorkload } from './existing-workload';
import { KUBE_DNS_LABELS, KUBE_DNS_NAMESPACE, NAMESPACE_NAME_LABEL } from './dns';

/** A transport protocol a NetworkPolicy port can name. */
export type FlowProtocol = 'TCP' | 'UDP' | 'SCTP';

/** Options of a flow between two workloads. */
export interface WorkloadFlowOptions {
  /**
   * The port on the destination workload, by name (`'http'`) or number (`8080`); it must be
   * one the destination declares.
   * @default - every port the destination declares
   */
  readonly port?: string | number;
  /**
   * Also open the other end of the flow in the peer's own policy (egress on the source,
   * ingress on the destination). Both ends are needed when both workloads are isolated,
   * which every namespace built on default-deny is.
   * @default - true, except for peers from `ExistingWorkload.fromAttributes` (managed elsewhere)
   */
  readonly bothEnds?: boolean;
}

/** Options of a flow from every (or some) pod of another namespace. */
export interface NamespaceFlowOptions {
  /** The port on this workload, by name or number. @default - every port this workload declares */
  readonly port?: string | number;
  /** Only pods of that namespace with these labels. @default - every pod of the namespace */
  readonly podSelector?: Record<string, string>;
}

/** Options of a flow to addresses outside the cluster. */
export interface CidrFlowOptions {
  /** The destination port numbers; at least one (least privilege). */
  readonly ports: readonly number[];
  /** The protocol of those ports. @default 'TCP' */
  readonly protocol?: FlowProtocol;
  /** Blocks inside the CIDR that stay denied. @default - none */
  readonly except?: readonly string[];
}

/** Options of a flow from addresses outside the cluster (e.g. callers of an internal load balancer). */
export interface CidrIngressOptions {
  /** The port on this workload, by name or number. @default - every port this workload declares */
  readonly port?: string | number;
  /** Blocks inside the CIDR that stay denied. @default - none */
  readonly except?: readonly string[];
}

/** Options of a flow to pods of another namespace. */
export interface NamespaceEgressOptions {
  /** The destination port numbers; at least one. */
  readonly ports: readonly number[];
  /** The protocol of those ports. @default 'TCP' */
  readonly protocol?: FlowProtocol;
  /** Only pods of that namespace with these labels. @default - every pod of the namespace */
  readonly podSelector?: Record<string, string>;
}

interface Peer {
  readonly namespace?: string;
  readonly podSelector?: Record<string, string>;
  readonly ipBlock?: { readonly cidr: string; readonly except?: readonly string[] };
}

interface PolicyPort {
  readonly port: number;
  readonly protocol: FlowProtocol;
}

/** The rules of one direction: peer (by canonical key) to the set of ports it may use. */
class RuleSet {
  private readonly rules = new Map<string, { peer: Peer; ports: Map<string, PolicyPort> }>();

  public add(peer: Peer, ports: readonly PolicyPort[]): void {
    const key = JSON.stringify(renderPeer(peer));
    const rule = this.rules.get(key) ?? { peer, ports: new Map() };
    for (const port of ports) rule.ports.set(`${port.protocol}/${port.port}`, port);
    this.rules.set(key, rule);
  }

  public get size(): number {
    return this.rules.size;
  }

  /** Rules sorted by peer, ports sorted by number then protocol: stable output. */
  public render(direction: 'from' | 'to'): Record<string, unknown>[] {
    return [...this.rules.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, rule]) => ({
        [direction]: [renderPeer(rule.peer)],
        ports: [...rule.ports.values()]
          .sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol))
          .map((p) => ({ port: p.port, protocol: p.protocol })),
      }));
  }
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function renderPeer(peer: Peer): Record<string, unknown> {
  if (peer.ipBlock !== undefined) {
    const except = peer.ipBlock.except ?? [];
    return { ipBlock: except.length > 0 ? { cidr: peer.ipBlock.cidr, except: [...except].sort() } : { cidr: peer.ipBlock.cidr } };
  }
  const rendered: Record<string, unknown> = {};
  if (peer.namespace !== undefined) {
    rendered.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: peer.namespace } };
  }
  if (peer.podSelector !== undefined) rendered.podSelector = { matchLabels: sortedRecord(peer.podSelector) };
  return rendered;
}

function describePorts(workload: IWorkload): string {
  if (workload.ports.length === 0) return 'none';
  return workload.ports.map((p) => `${p.name} (${p.number}/${p.protocol ?? 'TCP'})`).join(', ');
}

/**
 * The NetworkPolicy that selects one workload's pods and allows exactly the flows declared
 * for it: `policyTypes` is always Ingress and Egress, so a workload with no flows is fully
 * isolated. Get it with {@link WorkloadNetworkPolicy.of}, which creates it on first use as the
 * child `Flows` of the workload, named `<workload>-flows`.
 *
 * Ports given by name or number are checked against the ports the destination declares and
 * written as numbers; peers in another namespace are selected by the
 * `kubernetes.io/metadata.name` label Kubernetes sets on every namespace.
 */
export class WorkloadNetworkPolicy extends Construct {
  /** The policy of `workload` when one exists, without creating it. */
  public static tryOf(workload: IWorkload): WorkloadNetworkPolicy | undefined {
    const existing = workload.node.tryFindChild(WorkloadNetworkPolicy.ID);
    return existing instanceof WorkloadNetworkPolicy ? existing : undefined;
  }

  /** The policy of `workload`, created on first use. */
  public static of(workload: IWorkload): WorkloadNetworkPolicy {
    const existing = workload.node.tryFindChild(WorkloadNetworkPolicy.ID);
    if (existing instanceof WorkloadNetworkPolicy) return existing;
    return new WorkloadNetworkPolicy(workload, WorkloadNetworkPolicy.ID, workload);
  }

  private static readonly ID = 'Flows';

  /** The name of the NetworkPolicy (`<workload>-flows`). */
  public readonly name: string;
  /** The workload whose pods this policy selects. */
  public readonly workload: IWorkload;

  private readonly ingress = new RuleSet();
  private readonly egress = new RuleSet();

  private constructor(scope: IWorkload, id: string, workload: IWorkload) {
    super(scope, id);
    this.workload = workload;
    this.name = `${workload.name}-flows`;
    if (Object.keys(workload.selectorLabels).length === 0) {
      fail(this, `workload ${show(workload.name)} has no selector labels, so its policy would select every pod of the namespace: give the workload selector labels (e.g. { app: '${workload.name}' }).`);
    }
    new ApiObject(this, 'Resource', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: {
        name: this.name,
        namespace: workload.namespace,
        labels: sortedRecord(workload.selectorLabels),
      },
      spec: Lazy.any({ produce: () => this.renderSpec() }),
    });
  }

  /**
   * Lets `peer`'s pods connect to this workload on `options.port` (ingress here; egress on the
   * peer's policy too unless `bothEnds` is false).
   */
  public allowFrom(peer: IWorkload, options: WorkloadFlowOptions = {}): this {
    const ports = this.resolvePorts(peer, this.workload, options.port);
    this.ingress.add(this.peerOf(peer), ports);
    if (options.bothEnds ?? !(peer instanceof ExistingWorkload)) {
      const other = WorkloadNetworkPolicy.of(peer);
      other.egress.add(other.peerOf(this.workload), ports);
    }
    return this;
  }

  /**
   * Lets this workload's pods connect to `peer` on `options.port` (egress here; ingress on the
   * peer's policy too unless `bothEnds` is false).
   */
  public allowTo(peer: IWorkload, options: WorkloadFlowOptions = {}): this {
    const ports = this.resolvePorts(this.workload, peer, options.port);
    this.egress.add(this.peerOf(peer), ports);
    if (options.bothEnds ?? !(peer instanceof ExistingWorkload)) {
      const other = WorkloadNetworkPolicy.of(peer);
      other.ingress.add(other.peerOf(this.workload), ports);
    }
    return this;
  }

  /** Lets pods of namespace `namespace` (optionally only those with `podSelector`) connect to this workload. */
  public allowFromNamespace(namespace: string, options: NamespaceFlowOptions = {}): this {
    this.requireNamespaceLabel(namespace, `namespace ${show(namespace)}`);
    if (options.podSelector !== undefined) {
      validateLabels(this, 'allowFromNamespace podSelector', options.podSelector);
      if (Object.keys(options.podSelector).length === 0) {
        fail(this, `allowFromNamespace(${show(namespace)}) got an empty podSelector: leave podSelector out to allow the whole namespace, or give the labels of the pods to allow.`);
      }
    }
    const ports = this.resolvePorts(`namespace ${show(namespace)}`, this.workload, options.port);
    this.ingress.add({ namespace, podSelector: options.podSelector }, ports);
    return this;
  }

  /**
   * Lets addresses in `cidr` connect to this workload on `options.port` (every declared port by
   * default): the callers of an internal load balancer, a VPN range, a node subnet.
   */
  public allowFromCidr(cidr: string, options: CidrIngressOptions = {}): this {
    const block = requireCidr(this, 'allowFromCidr cidr', cidr);
    const except = options.except ?? [];
    for (const inner of except) {
      const parsed = requireCidr(this, 'allowFromCidr except', inner);
      if (!cidrContains(block, parsed) || parsed.prefixLength === block.prefixLength) {
        fail(this, `allowFromCidr except ${show(inner)} is not strictly inside ${show(cidr)}: every except block must be a smaller block within the allowed CIDR.`);
      }
    }
    if (block.prefixLength === 0) {
      fail(this, `allowFromCidr(${show(cidr)}) opens ${show(this.workload.name)} to every address; name the callers' network (e.g. '10.0.0.0/8' for the VPC).`);
    }
    const ports = this.resolvePorts(`CIDR ${show(cidr)}`, this.workload, options.port);
    this.ingress.add({ ipBlock: { cidr, except } }, ports);
    return this;
  }

  /** Lets this workload's pods connect to addresses in `cidr` (outside the cluster) on the given ports. */
  public allowToCidr(cidr: string, options: CidrFlowOptions): this {
    const block = requireCidr(this, 'allowToCidr cidr', cidr);
    const except = options.except ?? [];
    for (const inner of except) {
      const parsed = requireCidr(this, 'allowToCidr except', inner);
      if (!cidrContains(block, parsed) || parsed.prefixLength === block.prefixLength) {
        fail(this, `allowToCidr except ${show(inner)} is not strictly inside ${show(cidr)}: every except block must be a smaller block within the allowed CIDR.`);
      }
    }
    if (options.ports.length === 0) {
      fail(this, `allowToCidr(${show(cidr)}) got no ports: list the destination ports (e.g. { ports: [443] }); opening every port is not least privilege.`);
    }
    for (const port of options.ports) validatePortNumber(this, `allowToCidr(${show(cidr)}) port`, port);
    const protocol = options.protocol ?? 'TCP';
    this.egress.add({ ipBlock: { cidr, except } }, options.ports.map((port) => ({ port, protocol })));
    return this;
  }

  /**
   * Lets this workload's pods connect to pods of namespace `namespace` (optionally only those with
   * `podSelector`) on the given ports: a log aggregator, a tracing collector run by another team.
   */
  public allowToNamespace(namespace: string, options: NamespaceEgressOptions): this {
    this.requireNamespaceLabel(namespace, `namespace ${show(namespace)}`);
    if (options.podSelector !== undefined) {
      validateLabels(this, 'allowToNamespace podSelector', options.podSelector);
      if (Object.keys(options.podSelector).length === 0) {
        fail(this, `allowToNamespace(${show(namespace)}) got an empty podSelector: leave podSelector out to allow the whole namespace, or give the labels of the pods to reach.`);
      }
    }
    if (options.ports.length === 0) {
      fail(this, `allowToNamespace(${show(namespace)}) got no ports: list the destination ports (e.g. { ports: [24224] }); opening every port is not least privilege.`);
    }
    for (const port of options.ports) validatePortNumber(this, `allowToNamespace(${show(namespace)}) port`, port);
    const protocol = options.protocol ?? 'TCP';
    this.egress.add({ namespace, podSelector: options.podSelector }, options.ports.map((port) => ({ port, protocol })));
    return this;
  }

  /** Lets this workload's pods query cluster DNS (kube-dns in kube-system) on UDP and TCP 53. */
  public allowToDns(): this {
    this.egress.add(
      { namespace: KUBE_DNS_NAMESPACE, podSelector: { ...KUBE_DNS_LABELS } },
      [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
    );
    return this;
  }

  /** The `spec` of the NetworkPolicy, as it will be synthesized. */
  public renderSpec(): Record<string, unknown> {
    return {
      podSelector: { matchLabels: sortedRecord(this.workload.selectorLabels) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: this.ingress.render('from'),
      egress: this.egress.render('to'),
    };
  }

  /** How this policy selects `peer`'s pods: by pod labels, plus the namespace when it differs. */
  private peerOf(peer: IWorkload): Peer {
    const own = this.workload.namespace;
    if (peer.namespace === own) return { podSelector: { ...peer.selectorLabels } };
    if (peer.namespace === undefined) {
      fail(this, `workload ${show(peer.name)} has no namespace, so the policy of ${show(this.workload.name)} in namespace ${show(own)} cannot select its pods: set the namespace of ${show(peer.name)}'s chart (or put both workloads in charts without a namespace).`);
    }
    this.requireNamespaceLabel(peer.namespace, `workload ${show(peer.name)}'s namespace ${show(peer.namespace)}`);
    if (Object.keys(peer.selectorLabels).length === 0) {
      fail(this, `workload ${show(peer.name)} has no selector labels, so a flow with it would open every pod of its namespace: give it selector labels.`);
    }
    return { namespace: peer.namespace, podSelector: { ...peer.selectorLabels } };
  }

  private requireNamespaceLabel(namespace: string, what: string): void {
    if (!isLabelValue(namespace) || namespace.length === 0) {
      fail(this, `${what} cannot be selected by the '${NAMESPACE_NAME_LABEL}' label (its value must be a valid label value): use a DNS-1123 namespace name such as 'payments'.`);
    }
  }

  private resolvePorts(source: IWorkload | string, destination: IWorkload, port: string | number | undefined): PolicyPort[] {
    const from = typeof source === 'string' ? source : show(source.name);
    if (port === undefined) {
      if (destination.ports.length === 0) {
        fail(this, `flow from ${from} to ${show(destination.name)}: ${show(destination.name)} declares no ports, so there is nothing to allow; declare a port on it first.`);
      }
      return destination.ports.map(toPolicyPort);
    }
    const found = destination.findPort(port);
    if (found === undefined) {
      fail(this, `flow from ${from} to ${show(destination.name)} on port ${show(port)}: ${show(destination.name)} does not expose that port; it declares ${describePorts(destination)}. Use one of those or declare the port on ${show(destination.name)}.`);
    }
    return [toPolicyPort(found)];
  }
}

function toPolicyPort(port: WorkloadPort): PolicyPort {
  return { port: port.number, protocol: port.protocol ?? 'TCP' };
}
