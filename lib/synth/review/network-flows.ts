/**
 * A small evaluator of Kubernetes NetworkPolicy semantics (networking.k8s.io/v1) over a
 * synthesized tree, for the review report: which workloads may open connections to which, on
 * which ports.
 *
 * - Workloads are the pod templates of Deployments, StatefulSets and DaemonSets.
 * - A pod is isolated for ingress (egress) when a policy in its namespace selects it and lists
 *   `Ingress` (`Egress`) in `policyTypes` (default: `Ingress`, plus `Egress` when the policy has
 *   `egress` rules; an empty `egress: []` has none). A connection is allowed when the source's egress and the
 *   destination's ingress both allow it (a side that is not isolated allows everything).
 * - Peers: `podSelector` alone selects pods of the policy's namespace, `namespaceSelector` alone
 *   every pod of the selected namespaces, both together the selected pods of the selected
 *   namespaces. Namespaces carry the labels of their `Namespace` object in the tree plus
 *   `kubernetes.io/metadata.name`. `ipBlock` peers never match pods (pod IPs are not known at
 *   synth time); they become external endpoints in the graph.
 * - Ports: `port` (number or container port name), `endPort` and `protocol` (default TCP). The
 *   candidate ports of a destination are its declared container ports plus the numeric ports the
 *   policies that select it name.
 */
import { compareStrings } from '../manifest-files';

/** A workload: one pod template. */
export interface Workload {
  /** `production/user-service`. */
  readonly id: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly ContainerPort[];
}

/** A declared container port. */
export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}

/** One allowed (source, destination, port) triple. */
export interface Flow {
  /** A workload id, or an external CIDR such as `10.0.0.0/8`. */
  readonly from: string;
  readonly to: string;
  /** `8080/TCP`, or `any` when every port is allowed and the destination declares none. */
  readonly port: string;
}

/** Workloads and the flows allowed between them. */
export interface TrafficModel {
  readonly workloads: readonly Workload[];
  /** External CIDRs named by ipBlock peers, sorted. */
  readonly externals: readonly string[];
  /** Sorted by source, destination, port. */
  readonly flows: readonly Flow[];
  /** Workloads no policy isolates for ingress: any pod (and any address) may connect to them. */
  readonly openIngress: readonly string[];
  /** Workloads no policy isolates for egress: they may connect anywhere, in the cluster or out. */
  readonly openEgress: readonly string[];
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);
const ANY_PORT = 'any';

interface LabelSelector {
  readonly matchLabels?: Record<string, string>;
  readonly matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** Whether a label selector selects `labels` (an empty selector selects everything). */
export function selectorMatches(selector: LabelSelector | undefined | null, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined || selector === null) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== String(value)) return false;
  }
  for (const expr of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expr.key);
    const values = (expr.values ?? []).map(String);
    switch (expr.operator) {
      case 'In': if (!has || !values.includes(labels[expr.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[expr.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false; // an unknown operator selects nothing, as the API server would reject it
    }
  }
  return true;
}

function stringMap(value: any): Record<string, string> {
  const out: Record<string, string> = {};
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out[k] = String(v);
  }
  return out;
}

/** The workloads of a list of manifests, sorted by id. */
export function findWorkloads(objects: readonly any[]): Workload[] {
  const found: Workload[] = [];
  for (const o of objects) {
    if (!WORKLOAD_KINDS.has(o?.kind)) continue;
    const namespace = String(o.metadata?.namespace ?? 'default');
    const name = String(o.metadata?.name ?? '');
    const spec = o.spec?.template?.spec ?? {};
    const ports: ContainerPort[] = [];
    for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
      for (const p of c?.ports ?? []) {
        if (typeof p?.containerPort === 'number') {
          ports.push({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' });
        }
      }
    }
    found.push({ id: `${namespace}/${name}`, kind: o.kind, namespace, name, labels: stringMap(o.spec?.template?.metadata?.labels), ports });
  }
  return found.sort((a, b) => compareStrings(a.id, b.id));
}

interface Policy {
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  readonly ingress?: any[];
  readonly egress?: any[];
  readonly types: ReadonlySet<string>;
}

function findPolicies(objects: readonly any[]): Policy[] {
  return objects
    .filter((o) => o?.kind === 'NetworkPolicy' && String(o.apiVersion ?? '').startsWith('networking.k8s.io/'))
    .map((o) => {
      const spec = o.spec ?? {};
      const types = Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0
        ? spec.policyTypes
        : ['Ingress', ...(Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Egress'] : [])];
      return {
        namespace: String(o.metadata?.namespace ?? 'default'),
        podSelector: spec.podSelector ?? {},
        ingress: spec.ingress ?? [],
        egress: spec.egress ?? [],
        types: new Set<string>(types),
      };
    });
}

/** The policies that isolate `w` in one direction, or undefined when it is not isolated. */
function isolating(policies: readonly Policy[], w: Workload, type: 'Ingress' | 'Egress'): Policy[] | undefined {
  const selecting = policies.filter((p) => p.namespace === w.namespace && p.types.has(type) && selectorMatches(p.podSelector, w.labels));
  return selecting.length === 0 ? undefined : selecting;
}

/** Whether a rule's `ports` admit a candidate port of the destination. */
function portsAdmit(rulePorts: any[] | undefined, candidate: ContainerPort | undefined): boolean {
  if (rulePorts === undefined || rulePorts.length === 0) return true;
  if (candidate === undefined) return false; // the "any port" candidate needs a rule without ports
  return rulePorts.some((rp) => {
    if ((rp?.protocol ?? 'TCP') !== candidate.protocol) return false;
    if (rp?.port === undefined) return true;
    if (typeof rp.port === 'string') return /^\d+$/.test(rp.port) ? Number(rp.port) === candidate.port : rp.port === candidate.name;
    const end = typeof rp.endPort === 'number' ? rp.endPort : rp.port;
    return candidate.port >= rp.port && candidate.port <= end;
  });
}

/** Whether a peer (from/to entry) selects workload `w`, for a policy in namespace `policyNs`. */
function peerMatches(peer: any, policyNs: string, w: Workload, nsLabels: (ns: string) => Record<string, string>): boolean {
  if (peer?.ipBlock !== undefined) return false;
  const hasPod = peer?.podSelector !== undefined;
  const hasNs = peer?.namespaceSelector !== undefined;
  if (!hasPod && !hasNs) return false;
  const nsOk = hasNs ? selectorMatches(peer.namespaceSelector, nsLabels(w.namespace)) : w.namespace === policyNs;
  return nsOk && (!hasPod || selectorMatches(peer.podSelector, w.labels));
}

/** The candidate ports of a destination: declared ports plus numeric ports policies name. */
function candidatePorts(w: Workload, ingressPolicies: readonly Policy[] | undefined, egressRulePorts: readonly any[]): (ContainerPort | undefined)[] {
  const byKey = new Map<string, ContainerPort>();
  for (const p of w.ports) byKey.set(`${p.port}/${p.protocol}`, p);
  const mentioned = [...(ingressPolicies ?? []).flatMap((p) => (p.ingress ?? []).flatMap((r: any) => r?.ports ?? [])), ...egressRulePorts];
  for (const rp of mentioned) {
    if (typeof rp?.port === 'number' && rp.endPort === undefined) {
      const c = { port: rp.port, protocol: rp.protocol ?? 'TCP' };
      const key = `${c.port}/${c.protocol}`;
      if (!byKey.has(key)) byKey.set(key, c);
    }
  }
  const list = [...byKey.values()];
  return list.length > 0 ? list : [undefined];
}

function portLabel(p: ContainerPort | undefined): string {
  return p === undefined ? ANY_PORT : `${p.port}/${p.protocol}`;
}

/** Compare flows by source, destination, then port number. */
export function compareFlows(a: Flow, b: Flow): number {
  return compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || comparePorts(a.port, b.port);
}

/** Compare `8080/TCP` labels by number, then protocol; `any` first. */
export function comparePorts(a: string, b: string): number {
  const [an, ap] = a.split('/');
  const [bn, bp] = b.split('/');
  return (parseInt(an, 10) || 0) - (parseInt(bn, 10) || 0) || compareStrings(a, b) || compareStrings(ap ?? '', bp ?? '');
}

/** Evaluate the NetworkPolicies of a tree into the flows allowed between its workloads. */
export function computeTraffic(objects: readonly any[]): TrafficModel {
  const workloads = findWorkloads(objects);
  const policies = findPolicies(objects);
  const namespaceLabels = new Map<string, Record<string, string>>();
  for (const o of objects) {
    if (o?.kind === 'Namespace' && o.apiVersion === 'v1') namespaceLabels.set(String(o.metadata?.name), stringMap(o.metadata?.labels));
  }
  const nsLabels = (ns: string): Record<string, string> => ({ ...(namespaceLabels.get(ns) ?? {}), 'kubernetes.io/metadata.name': ns });

  const flows = new Map<string, Flow>();
  const add = (from: string, to: string, port: string): void => {
    flows.set(`${from}\u0000${to}\u0000${port}`, { from, to, port });
  };
  const externals = new Set<string>();
  const cidrOf = (peer: any): string | undefined => (typeof peer?.ipBlock?.cidr === 'string'
    ? `${peer.ipBlock.cidr}${(peer.ipBlock.except ?? []).length > 0 ? ` except ${[...peer.ipBlock.except].sort(compareStrings).join(', ')}` : ''}`
    : undefined);

  for (const src of workloads) {
    const egress = isolating(policies, src, 'Egress');
    for (const dst of workloads) {
      if (dst.id === src.id) continue;
      const ingress = isolating(policies, dst, 'Ingress');
      const egressPorts = (egress ?? []).flatMap((p) => (p.egress ?? []).flatMap((r: any) => r?.ports ?? []));
      for (const candidate of candidatePorts(dst, ingress, egressPorts)) {
        const egressOk = egress === undefined || egress.some((p) => (p.egress ?? []).some((rule: any) =>
          (rule?.to === undefined || rule.to.length === 0 || rule.to.some((peer: any) => peerMatches(peer, p.namespace, dst, nsLabels)))
          && portsAdmit(rule?.ports, candidate)));
        const ingressOk = ingress === undefined || ingress.some((p) => (p.ingress ?? []).some((rule: any) =>
          (rule?.from === undefined || rule.from.length === 0 || rule.from.some((peer: any) => peerMatches(peer, p.namespace, src, nsLabels)))
          && portsAdmit(rule?.ports, candidate)));
        if (egressOk && ingressOk) add(src.id, dst.id, portLabel(candidate));
      }
    }
    // Egress to external CIDRs: only the source's side applies.
    for (const p of egress ?? []) {
      for (const rule of p.egress ?? []) {
        for (const peer of rule?.to ?? []) {
          const cidr = cidrOf(peer);
          if (cidr === undefined) continue;
          externals.add(cidr);
          for (const label of externalPortLabels(rule?.ports)) add(src.id, cidr, label);
        }
      }
    }
  }
  // Ingress from external CIDRs: only the destination's side applies.
  for (const dst of workloads) {
    for (const p of isolating(policies, dst, 'Ingress') ?? []) {
      for (const rule of p.ingress ?? []) {
        for (const peer of rule?.from ?? []) {
          const cidr = cidrOf(peer);
          if (cidr === undefined) continue;
          externals.add(cidr);
          for (const candidate of candidatePorts(dst, [p], [])) {
            if (portsAdmit(rule?.ports, candidate)) add(cidr, dst.id, portLabel(candidate));
          }
        }
      }
    }
  }
  return {
    workloads,
    externals: [...externals].sort(compareStrings),
    flows: [...flows.values()].sort(compareFlows),
    openIngress: workloads.filter((w) => isolating(policies, w, 'Ingress') === undefined).map((w) => w.id),
    openEgress: workloads.filter((w) => isolating(policies, w, 'Egress') === undefined).map((w) => w.id),
  };
}

/** Port labels of an egress rule to a CIDR (nothing declares the external side's ports). */
function externalPortLabels(rulePorts: any[] | undefined): string[] {
  if (rulePorts === undefined || rulePorts.length === 0) return [ANY_PORT];
  return rulePorts.map((rp) => {
    const protocol = rp?.protocol ?? 'TCP';
    if (rp?.port === undefined) return `${ANY_PORT}/${protocol}`;
    return typeof rp.endPort === 'number' ? `${rp.port}-${rp.endPort}/${protocol}` : `${rp.port}/${protocol}`;
  });
}
