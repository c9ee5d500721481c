/**
 * The traffic model of the review report: which workloads may open connections to which, on
 * which ports, over one deployment target. The NetworkPolicy semantics are lib/network's
 * {@link Connectivity}; this file only chooses what to ask it and how to label the answers.
 *
 * - Workloads are the pod templates of Deployments, StatefulSets and DaemonSets.
 * - The model is linear in the size of the tree: pairs of workloads are only examined when a
 *   policy names one of them by a selector (each such pair is decided by Connectivity, over the
 *   two workloads and the policies that isolate them). A side that admits every peer is not
 *   expanded into one flow per workload: a destination that admits anything on a port gets one
 *   flow from {@link ANYWHERE} (or {@link ANY_POD} for a cluster-wide pod selector), a source
 *   whose egress rule names no peer gets one flow to {@link ANYWHERE}. Workloads no policy
 *   isolates for ingress admit {@link ANYWHERE} on their ports; those not isolated for egress
 *   send to {@link ANYWHERE} on `any` port.
 * - The candidate ports of a destination are its declared container ports plus the single
 *   numeric ports named by the policies that isolate it for ingress (and, for a pair, the
 *   source for egress); a destination with none is asked about "every port" (`any`).
 * - `ipBlock` peers never match pods (pod IPs are not known at synth time); they become external
 *   endpoints, with the ports of their rule (egress) or the destination's admitted candidate
 *   ports (ingress).
 *
 * So the connections allowed are exactly: the workload-to-workload flows, plus every (s, d, p)
 * where d admits {@link ANYWHERE}/{@link ANY_POD} on p and s has a flow to
 * {@link ANYWHERE}/{@link ANY_POD} whose ports admit p on d.
 */
import { Connectivity, rulePortsMatch } from '../../network/connectivity';
import { NAMESPACE_NAME_LABEL } from '../../network/dns';
import { LabelSelectorJson, selectorMatches } from '../../network/label-selector';
import { NetworkPolicyInfo, NetworkPolicyPeerJson, NetworkPolicyRuleJson, PodInfo } from '../../network/manifests';
import { compareStrings } from '../manifest-files';

/** The source or destination of flows that admit every pod and every address. */
export const ANYWHERE = '(anywhere)';
/** The source or destination of flows that admit every pod of the cluster (not outside addresses). */
export const ANY_POD = '(any pod)';

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
  /** The pod templates of Deployments, StatefulSets and DaemonSets, sorted by id. */
  readonly workloads: readonly PodInfo[];
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

/** A candidate destination port; undefined stands for "every port". */
type Candidate = { readonly port: number; readonly protocol: string } | undefined;
type RulePort = NonNullable<NetworkPolicyRuleJson['ports']>[number];

/** A workload of the tree with the policies (and their objects) that isolate it. */
interface Workload {
  readonly info: PodInfo;
  readonly object: any;
  readonly ingress: readonly NetworkPolicyInfo[];
  readonly egress: readonly NetworkPolicyInfo[];
  readonly policyObjects: { readonly ingress: readonly any[]; readonly egress: readonly any[] };
}

/** The candidate ports of `w`: declared ports plus the single numeric ports `rulePorts` name. */
function candidatePorts(w: PodInfo, rulePorts: readonly RulePort[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const p of w.ports) {
    if (typeof p.containerPort === 'number') byKey.set(`${p.containerPort}/${p.protocol ?? 'TCP'}`, { port: p.containerPort, protocol: p.protocol ?? 'TCP' });
  }
  for (const rp of rulePorts) {
    if (typeof rp?.port === 'number' && rp.endPort === undefined) {
      const key = `${rp.port}/${rp.protocol ?? 'TCP'}`;
      if (!byKey.has(key)) byKey.set(key, { port: rp.port, protocol: rp.protocol ?? 'TCP' });
    }
  }
  const list = [...byKey.values()];
  return list.length > 0 ? list : [undefined];
}

const portsOf = (policies: readonly NetworkPolicyInfo[], direction: 'ingress' | 'egress'): RulePort[] =>
  policies.flatMap((p) => p[direction].flatMap((r) => r?.ports ?? []));

function portLabel(p: Candidate): string {
  return p === undefined ? ANY_PORT : `${p.port}/${p.protocol}`;
}

function cidrOf(peer: NetworkPolicyPeerJson): string | undefined {
  const block = peer?.ipBlock;
  if (typeof block?.cidr !== 'string') return undefined;
  const except = [...(block.except ?? [])].sort(compareStrings);
  return except.length > 0 ? `${block.cidr} except ${except.join(', ')}` : block.cidr;
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

/**
 * The namespace Connectivity places `o` in: an edited tree may hold any YAML scalar there (a
 * namespace edited to `100000` reads back as a number), so it is compared as text.
 */
const namespaceOf = (o: any): string => {
  const ns = o?.metadata?.namespace;
  return ns === undefined || ns === null || ns === '' ? 'default' : String(ns);
};

function isEmptySelector(selector: LabelSelectorJson | undefined): boolean {
  return selector === undefined || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0);
}

/**
 * The workloads of a tree, each with the policies that isolate it, found by one Connectivity per
 * namespace (isolation only depends on the namespace's own policies), so the work grows with the
 * namespaces' sizes, not with the square of the tree.
 */
function workloadsOf(objects: readonly any[]): Map<string, Workload> {
  const byNamespace = new Map<string, { workloads: any[]; policies: any[] }>();
  const group = (o: any) => {
    const ns = namespaceOf(o);
    let g = byNamespace.get(ns);
    if (g === undefined) byNamespace.set(ns, g = { workloads: [], policies: [] });
    return g;
  };
  for (const o of objects) {
    if (WORKLOAD_KINDS.has(o.kind)) group(o).workloads.push(o);
    else if (o.kind === 'NetworkPolicy' && o.apiVersion === 'networking.k8s.io/v1') group(o).policies.push(o);
  }
  const out = new Map<string, Workload>();
  for (const [ns, g] of [...byNamespace].sort(([a], [b]) => compareStrings(a, b))) {
    if (g.workloads.length === 0) continue;
    const connectivity = new Connectivity([...g.workloads, ...g.policies]);
    const policyByName = new Map(g.policies.map((p) => [String(p.metadata?.name ?? ''), p]));
    const objectById = new Map(g.workloads.map((w) => [`${ns}/${w.metadata?.name ?? ''}`, w]));
    for (const info of connectivity.pods) {
      if (!WORKLOAD_KINDS.has(info.kind) || out.has(info.id)) continue;
      const ingress = connectivity.isolatingPolicies(info.id, 'Ingress');
      const egress = connectivity.isolatingPolicies(info.id, 'Egress');
      out.set(info.id, {
        info,
        object: objectById.get(info.id),
        ingress,
        egress,
        policyObjects: { ingress: ingress.map((p) => policyByName.get(String(p.name))), egress: egress.map((p) => policyByName.get(String(p.name))) },
      });
    }
  }
  return out;
}

/** Evaluate the NetworkPolicies of a tree (one deployment target) into the flows it allows. */
export function computeTraffic(input: readonly any[]): TrafficModel {
  const objects = input.filter((o) => o !== null && typeof o === 'object');
  const workloads = workloadsOf(objects);
  const sorted = [...workloads.values()].sort((a, b) => compareStrings(a.info.id, b.info.id));
  const namespaceObjects = new Map<string, any>();
  for (const o of objects) if (o.kind === 'Namespace' && o.apiVersion === 'v1') namespaceObjects.set(String(o.metadata?.name), o);
  const byNamespace = new Map<string, Workload[]>();
  for (const w of sorted) {
    const members = byNamespace.get(w.info.namespace);
    if (members === undefined) byNamespace.set(w.info.namespace, [w]);
    else members.push(w);
  }
  const namespaceLabels = (ns: string): Record<string, string> => ({
    ...(namespaceObjects.get(ns)?.metadata?.labels ?? {}), [NAMESPACE_NAME_LABEL]: ns,
  });

  const flows = new Map<string, Flow>();
  const add = (from: string, to: string, port: string): void => {
    flows.set(`${from}\u0000${to}\u0000${port}`, { from, to, port });
  };
  const externals = new Set<string>();

  /** The pods a peer of a policy of namespace `ns` selects, or the pseudo-endpoint it stands for. */
  const resolvePeer = (peer: NetworkPolicyPeerJson, ns: string): { cidr: string } | { all: string } | { workloads: Workload[] } => {
    const cidr = cidrOf(peer);
    if (cidr !== undefined) return { cidr };
    if (peer?.ipBlock !== undefined) return { workloads: [] };
    if (peer?.namespaceSelector !== undefined) {
      if (isEmptySelector(peer.namespaceSelector) && isEmptySelector(peer.podSelector)) return { all: ANY_POD };
      const found: Workload[] = [];
      for (const [name, members] of byNamespace) {
        if (!selectorMatches(peer.namespaceSelector, namespaceLabels(name))) continue;
        for (const w of members) if (selectorMatches(peer.podSelector, w.info.labels)) found.push(w);
      }
      return { workloads: found };
    }
    return { workloads: (byNamespace.get(ns) ?? []).filter((w) => selectorMatches(peer?.podSelector, w.info.labels)) };
  };

  // A pair is decided by Connectivity over the two workloads and the policies isolating them.
  const decided = new Set<string>();
  const decidePair = (src: Workload, dst: Workload): void => {
    const key = `${src.info.id}\u0000${dst.info.id}`;
    if (src === dst || decided.has(key)) return;
    decided.add(key);
    const universe = [src.object, dst.object, ...src.policyObjects.egress, ...dst.policyObjects.ingress,
      ...[src.info.namespace, dst.info.namespace].map((ns) => namespaceObjects.get(ns)).filter((o) => o !== undefined)];
    const connectivity = new Connectivity([...new Set(universe)]);
    for (const candidate of candidatePorts(dst.info, [...portsOf(dst.ingress, 'ingress'), ...portsOf(src.egress, 'egress')])) {
      const allowed = candidate === undefined
        ? connectivity.canReachOnEveryPort(src.info.id, dst.info.id)
        : connectivity.canReach(src.info.id, dst.info.id, candidate.port, candidate.protocol);
      if (allowed) add(src.info.id, dst.info.id, portLabel(candidate));
    }
  };

  for (const dst of sorted) {
    const candidates = candidatePorts(dst.info, portsOf(dst.ingress, 'ingress'));
    if (dst.ingress.length === 0) {
      for (const candidate of candidates) add(ANYWHERE, dst.info.id, portLabel(candidate));
      continue;
    }
    for (const p of dst.ingress) {
      for (const rule of p.ingress) {
        const admitted = candidates.filter((c) => rulePortsMatch(rule, dst.info, c?.port, c?.protocol ?? 'TCP'));
        if (admitted.length === 0) continue;
        const peers = rule?.from ?? [];
        if (peers.length === 0) {
          for (const c of admitted) add(ANYWHERE, dst.info.id, portLabel(c));
          continue;
        }
        for (const peer of peers) {
          const resolved = resolvePeer(peer, p.namespace === '' ? 'default' : p.namespace);
          if ('cidr' in resolved) {
            // Ingress from external CIDRs: only the destination's side applies.
            externals.add(resolved.cidr);
            for (const c of admitted) add(resolved.cidr, dst.info.id, portLabel(c));
          } else if ('all' in resolved) {
            for (const c of admitted) add(resolved.all, dst.info.id, portLabel(c));
          } else {
            for (const src of resolved.workloads) decidePair(src, dst);
          }
        }
      }
    }
  }
  for (const src of sorted) {
    // Not isolated for egress: it may connect anywhere, on any port (so becoming open is a new flow).
    if (src.egress.length === 0) add(src.info.id, ANYWHERE, ANY_PORT);
    for (const p of src.egress) {
      for (const rule of p.egress) {
        const peers = rule?.to ?? [];
        if (peers.length === 0) {
          for (const label of externalPortLabels(rule?.ports)) add(src.info.id, ANYWHERE, label);
          continue;
        }
        for (const peer of peers) {
          const resolved = resolvePeer(peer, p.namespace === '' ? 'default' : p.namespace);
          if ('cidr' in resolved) {
            // Egress to external CIDRs: only the source's side applies.
            externals.add(resolved.cidr);
            for (const label of externalPortLabels(rule?.ports)) add(src.info.id, resolved.cidr, label);
          } else if ('all' in resolved) {
            for (const label of externalPortLabels(rule?.ports)) add(src.info.id, resolved.all, label);
          } else {
            for (const dst of resolved.workloads) decidePair(src, dst);
          }
        }
      }
    }
  }
  for (const f of flows.values()) {
    if (f.from === ANYWHERE || f.from === ANY_POD) externals.add(f.from);
    if (f.to === ANYWHERE || f.to === ANY_POD) externals.add(f.to);
  }
  return {
    workloads: sorted.map((w) => w.info),
    externals: [...externals].sort(compareStrings),
    flows: [...flows.values()].sort(compareFlows),
    openIngress: sorted.filter((w) => w.ingress.length === 0).map((w) => w.info.id),
    openEgress: sorted.filter((w) => w.egress.length === 0).map((w) => w.info.id),
  };
}

/** Port labels of an egress rule to a CIDR (nothing declares the external side's ports). */
function externalPortLabels(rulePorts: readonly RulePort[] | undefined): string[] {
  if (rulePorts === undefined || rulePorts.length === 0) return [ANY_PORT];
  return rulePorts.map((rp) => {
    const protocol = rp?.protocol ?? 'TCP';
    if (rp?.port === undefined) return `${ANY_PORT}/${protocol}`;
    return typeof rp.endPort === 'number' ? `${rp.port}-${rp.endPort}/${protocol}` : `${rp.port}/${protocol}`;
  });
}

/**
 * Whether an egress port label of a flow to {@link ANYWHERE}/{@link ANY_POD} (`any`, `any/UDP`,
 * `443/TCP`, `8000-8100/TCP`, or a port name such as `http/TCP`) admits `port` (`8080/TCP` or
 * `any`) on `destination`.
 */
export function portLabelAdmits(label: string, port: string, destination: PodInfo | undefined): boolean {
  if (label === ANY_PORT) return true;
  if (port === ANY_PORT) return false;
  const [number, protocol] = port.split('/');
  const [what, labelProtocol] = label.split('/');
  if (labelProtocol !== protocol) return false;
  if (what === ANY_PORT) return true;
  const range = /^(\d+)-(\d+)$/.exec(what);
  if (range !== null) return Number(number) >= Number(range[1]) && Number(number) <= Number(range[2]);
  if (/^\d+$/.test(what)) return what === number;
  return destination !== undefined && destination.ports.some((p) => p.name === what && String(p.containerPort) === number && (p.protocol ?? 'TCP') === protocol);
}

/**
 * A test of whether a model allows a workload-to-workload flow through its summaries (the
 * destination admits anything on the port, and the source is not isolated for egress or sends
 * anywhere on it), so a flow that moves between a concrete and a summarized form is not
 * reported as newly allowed or no longer allowed.
 */
export function summaryCoverage(model: TrafficModel): (flow: Flow) => boolean {
  const pseudo = (e: string): boolean => e === ANYWHERE || e === ANY_POD;
  const admitsAny = new Set(model.flows.filter((f) => pseudo(f.from)).map((f) => `${f.to}\u0000${f.port}`));
  const sendsAnywhere = new Map<string, string[]>();
  for (const f of model.flows) {
    if (!pseudo(f.to) || pseudo(f.from)) continue;
    const list = sendsAnywhere.get(f.from);
    if (list === undefined) sendsAnywhere.set(f.from, [f.port]);
    else list.push(f.port);
  }
  const openEgress = new Set(model.openEgress);
  const byId = new Map(model.workloads.map((w) => [w.id, w]));
  return (flow) => {
    if (!byId.has(flow.from) || !byId.has(flow.to) || !admitsAny.has(`${flow.to}\u0000${flow.port}`)) return false;
    return openEgress.has(flow.from) || (sendsAnywhere.get(flow.from) ?? []).some((label) => portLabelAdmits(label, flow.port, byId.get(flow.to)));
  };
}
