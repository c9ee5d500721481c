import { tryParseCidr, cidrContainsAddress } from './cidr';
import { NAMESPACE_NAME_LABEL } from './dns';
import { selectorMatches } from './label-selector';
import {
  NetworkPolicyInfo, NetworkPolicyPeerJson, NetworkPolicyRuleJson, PodInfo, PodPortJson,
  networkPoliciesOf, podsOf,
} from './manifests';

/** A pod that exists in the cluster but not in the manifests (e.g. CoreDNS in kube-system). */
export interface ExtraPod {
  /** The pod (or its controller's) name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** Its labels. */
  readonly labels: Record<string, string>;
  /** Its container ports. @default - none */
  readonly ports?: readonly PodPortJson[];
}

/** Options of {@link Connectivity}. */
export interface ConnectivityOptions {
  /** Labels of namespaces that the manifests do not declare (each also gets `kubernetes.io/metadata.name`). @default - none */
  readonly namespaces?: Record<string, Record<string, string>>;
  /** Pods to add to those found in the manifests. @default - none */
  readonly extraPods?: readonly ExtraPod[];
  /** The namespace of objects that set none. @default 'default' */
  readonly defaultNamespace?: string;
}

/** A port protocol as written in manifests: `TCP`, `UDP` or `SCTP`. */
export type Protocol = string;
interface Endpoint { readonly pod?: PodInfo; readonly address?: string }

/**
 * Evaluates Kubernetes NetworkPolicy semantics over synthesized manifests, to answer "may pod
 * A open a connection to pod B on port P?" in tests:
 *
 * - a pod is isolated for a direction when a policy of its namespace selects it and lists that
 *   direction in `policyTypes` (default: Ingress, plus Egress when the policy has egress rules);
 * - a connection needs the source's egress AND the destination's ingress to allow it;
 * - a rule with no peers matches every peer; a rule with no ports matches every port;
 * - a peer with `podSelector` alone selects pods in the policy's namespace, with
 *   `namespaceSelector` alone every pod of the matching namespaces, with both the matching pods
 *   of the matching namespaces; `ipBlock` (with `except`) matches only addresses given to
 *   {@link canReachAddress}, never pods (pod IPs are not modelled);
 * - ports match by protocol (default TCP) and number, `endPort` ranges, or by name resolved on
 *   the destination pod's container ports.
 *
 * Namespace labels come from Namespace objects in the manifests, `options.namespaces`, and
 * the `kubernetes.io/metadata.name` label that Kubernetes sets on every namespace.
 */
export class Connectivity {
  /** Every pod considered, by `<namespace>/<name>`. */
  public readonly pods: readonly PodInfo[];
  private readonly policies: readonly NetworkPolicyInfo[];
  private readonly namespaceLabels = new Map<string, Record<string, string>>();
  /** Pods by id and by name, and policies by namespace: lookups stay constant-time in large apps. */
  private readonly podsById = new Map<string, PodInfo>();
  private readonly podsByName = new Map<string, PodInfo[]>();
  private readonly policiesByNamespace = new Map<string, NetworkPolicyInfo[]>();

  constructor(manifests: readonly Record<string, any>[], options: ConnectivityOptions = {}) {
    const defaultNamespace = options.defaultNamespace ?? 'default';
    const inNamespace = <T extends { namespace: string }>(x: T): T => ({ ...x, namespace: x.namespace === '' ? defaultNamespace : x.namespace });
    const pods = podsOf(manifests).map(inNamespace).map((p) => ({ ...p, id: `${p.namespace}/${p.name}` }));
    for (const extra of options.extraPods ?? []) {
      pods.push({ id: `${extra.namespace}/${extra.name}`, kind: 'Pod', name: extra.name, namespace: extra.namespace, labels: extra.labels, ports: extra.ports ?? [] });
    }
    this.pods = pods.sort((a, b) => a.id.localeCompare(b.id));
    this.policies = networkPoliciesOf(manifests).map(inNamespace);
    const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
      const list = map.get(key);
      if (list === undefined) map.set(key, [value]);
      else list.push(value);
    };
    for (const pod of this.pods) {
      if (!this.podsById.has(pod.id)) this.podsById.set(pod.id, pod);
      push(this.podsByName, pod.name, pod);
    }
    for (const policy of this.policies) push(this.policiesByNamespace, policy.namespace, policy);
    for (const object of manifests) {
      if (object.kind === 'Namespace' && object.apiVersion === 'v1') {
        this.namespaceLabels.set(object.metadata.name, { ...(object.metadata.labels ?? {}) });
      }
    }
    for (const [name, labels] of Object.entries(options.namespaces ?? {})) {
      this.namespaceLabels.set(name, { ...(this.namespaceLabels.get(name) ?? {}), ...labels });
    }
  }

  /**
   * True when pod `from` may connect to pod `to` on `port` (a number, or a port name resolved
   * on `to`'s containers). Pods are named `<namespace>/<name>`, or `<name>` when unique.
   */
  public canReach(from: string, to: string, port: number | string, protocol: Protocol = 'TCP'): boolean {
    const source = this.pod(from);
    const destination = this.pod(to);
    let number: number;
    if (typeof port === 'string') {
      const named = destination.ports.find((p) => p.name === port);
      if (named === undefined) throw new Error(`pod ${destination.id} has no port named ${JSON.stringify(port)}`);
      number = named.containerPort;
      protocol = named.protocol ?? 'TCP';
    } else {
      number = port;
    }
    return this.egressAllowed(source, { pod: destination }, number, protocol)
      && this.ingressAllowed({ pod: source }, destination, number, protocol);
  }

  /**
   * True when pod `from` may connect to pod `to` on every port and protocol: both sides allow the
   * connection by rules that restrict no port (a side no policy isolates allows everything).
   */
  public canReachOnEveryPort(from: string, to: string): boolean {
    const source = this.pod(from);
    const destination = this.pod(to);
    return this.egressAllowed(source, { pod: destination }, undefined, 'TCP')
      && this.ingressAllowed({ pod: source }, destination, undefined, 'TCP');
  }

  /**
   * The policies that isolate pod `name` for `direction` (its namespace's policies that select it
   * and list the direction in `policyTypes`); empty when nothing isolates it, so it allows all.
   */
  public isolatingPolicies(name: string, direction: 'Ingress' | 'Egress'): readonly NetworkPolicyInfo[] {
    return this.selecting(this.pod(name), direction);
  }

  /** True when pod `from` may connect to the address `ip` (outside the cluster) on `port`. */
  public canReachAddress(from: string, ip: string, port: number, protocol: Protocol = 'TCP'): boolean {
    return this.egressAllowed(this.pod(from), { address: ip }, port, protocol);
  }

  /**
   * Every (source pod, destination pod, declared destination port) triple, as
   * `'<from> -> <to>:<port>/<protocol>'`, mapped to whether the connection is allowed. Sorted.
   */
  public matrix(): Record<string, boolean> {
    const result: Record<string, boolean> = {};
    for (const source of this.pods) {
      for (const destination of this.pods) {
        if (source === destination) continue;
        for (const port of destination.ports) {
          const protocol = port.protocol ?? 'TCP';
          result[`${source.id} -> ${destination.id}:${port.containerPort}/${protocol}`] =
            this.canReach(source.id, destination.id, port.containerPort, protocol);
        }
      }
    }
    return result;
  }

  /** The allowed entries of {@link matrix}, sorted. */
  public allowedFlows(): string[] {
    return Object.entries(this.matrix()).filter(([, allowed]) => allowed).map(([flow]) => flow).sort();
  }

  private pod(name: string): PodInfo {
    const exact = this.podsById.get(name);
    if (exact !== undefined) return exact;
    const matches = this.podsByName.get(name) ?? [];
    if (matches.length === 1) return matches[0];
    const known = this.pods.map((p) => p.id).join(', ');
    throw new Error(matches.length === 0
      ? `no pod ${JSON.stringify(name)} in the manifests; known pods: ${known}`
      : `pod name ${JSON.stringify(name)} is ambiguous: write one of ${matches.map((p) => p.id).join(', ')}`);
  }

  private labelsOfNamespace(namespace: string): Record<string, string> {
    return { ...(this.namespaceLabels.get(namespace) ?? {}), [NAMESPACE_NAME_LABEL]: namespace };
  }

  private selecting(pod: PodInfo, direction: 'Ingress' | 'Egress'): NetworkPolicyInfo[] {
    return (this.policiesByNamespace.get(pod.namespace) ?? []).filter((p) => p.policyTypes.includes(direction)
      && selectorMatches(p.podSelector, pod.labels));
  }

  private ingressAllowed(source: Endpoint, destination: PodInfo, port: number | undefined, protocol: Protocol): boolean {
    const policies = this.selecting(destination, 'Ingress');
    if (policies.length === 0) return true;
    return policies.some((policy) => policy.ingress.some((rule) =>
      this.peersMatch(rule.from, source, policy.namespace) && rulePortsMatch(rule, destination, port, protocol)));
  }

  private egressAllowed(source: PodInfo, destination: Endpoint, port: number | undefined, protocol: Protocol): boolean {
    const policies = this.selecting(source, 'Egress');
    if (policies.length === 0) return true;
    return policies.some((policy) => policy.egress.some((rule) =>
      this.peersMatch(rule.to, destination, policy.namespace) && rulePortsMatch(rule, destination.pod, port, protocol)));
  }

  private peersMatch(peers: readonly NetworkPolicyPeerJson[] | undefined, endpoint: Endpoint, policyNamespace: string): boolean {
    if (peers === undefined || peers.length === 0) return true;
    return peers.some((peer) => this.peerMatches(peer, endpoint, policyNamespace));
  }

  private peerMatches(peer: NetworkPolicyPeerJson, endpoint: Endpoint, policyNamespace: string): boolean {
    if (peer.ipBlock !== undefined) {
      if (endpoint.address === undefined) return false;
      const block = tryParseCidr(peer.ipBlock.cidr);
      if (block === undefined || !cidrContainsAddress(block, endpoint.address)) return false;
      return !(peer.ipBlock.except ?? []).some((text) => {
        const except = tryParseCidr(text);
        return except !== undefined && cidrContainsAddress(except, endpoint.address!);
      });
    }
    const pod = endpoint.pod;
    if (pod === undefined) return false;
    if (peer.namespaceSelector !== undefined) {
      if (!selectorMatches(peer.namespaceSelector, this.labelsOfNamespace(pod.namespace))) return false;
    } else if (pod.namespace !== policyNamespace) {
      return false;
    }
    return peer.podSelector === undefined || selectorMatches(peer.podSelector, pod.labels);
  }
}

/**
 * True when a rule's `ports` admit `port`/`protocol` on `destination` (whose container ports
 * resolve named ports). `port` undefined asks for every port: only a rule without ports admits it.
 */
export function rulePortsMatch(rule: NetworkPolicyRuleJson, destination: PodInfo | undefined, port: number | undefined, protocol: string): boolean {
  if (rule.ports === undefined || rule.ports.length === 0) return true;
  if (port === undefined) return false;
  return rule.ports.some((p) => {
    if ((p.protocol ?? 'TCP') !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === 'number') {
      return p.endPort !== undefined ? port >= p.port && port <= p.endPort : port === p.port;
    }
    // A named port: resolved on the destination pod's container ports.
    return destination !== undefined && destination.ports.some((c) =>
      c.name === p.port && c.containerPort === port && (c.protocol ?? 'TCP') === protocol);
  });
}
