/**
 * The traffic model of the review report: which workloads may open connections to which, on
 * which ports, over a synthesized tree. The NetworkPolicy semantics are lib/network's
 * {@link Connectivity}; this file only chooses what to ask it and how to label the answers.
 *
 * - Workloads are the pod templates of Deployments, StatefulSets and DaemonSets.
 * - The candidate ports of a destination are its declared container ports plus the single
 *   numeric ports named by the policies that isolate it for ingress and the source for egress;
 *   a destination with none is asked about "every port" (`any`).
 * - `ipBlock` peers never match pods (pod IPs are not known at synth time); they become external
 *   endpoints, with the ports of their rule (egress) or the destination's admitted candidate
 *   ports (ingress).
 */
import { Connectivity, rulePortsMatch } from '../../network/connectivity';
import { NetworkPolicyInfo, NetworkPolicyPeerJson, NetworkPolicyRuleJson, PodInfo } from '../../network/manifests';
import { compareStrings } from '../manifest-files';

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

/** The workloads among the pods Connectivity found, sorted by id. */
function workloadsOf(connectivity: Connectivity): PodInfo[] {
  return connectivity.pods.filter((p) => WORKLOAD_KINDS.has(p.kind)).sort((a, b) => compareStrings(a.id, b.id));
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

/** Evaluate the NetworkPolicies of a tree into the flows allowed between its workloads. */
export function computeTraffic(objects: readonly any[]): TrafficModel {
  const connectivity = new Connectivity(objects.filter((o) => o !== null && typeof o === 'object'));
  const workloads = workloadsOf(connectivity);
  const isolating = (w: PodInfo, direction: 'Ingress' | 'Egress'): readonly NetworkPolicyInfo[] => connectivity.isolatingPolicies(w.id, direction);

  const flows = new Map<string, Flow>();
  const add = (from: string, to: string, port: string): void => {
    flows.set(`${from}\u0000${to}\u0000${port}`, { from, to, port });
  };
  const externals = new Set<string>();

  for (const src of workloads) {
    const egress = isolating(src, 'Egress');
    for (const dst of workloads) {
      if (dst.id === src.id) continue;
      for (const candidate of candidatePorts(dst, [...portsOf(isolating(dst, 'Ingress'), 'ingress'), ...portsOf(egress, 'egress')])) {
        const allowed = candidate === undefined
          ? connectivity.canReachOnEveryPort(src.id, dst.id)
          : connectivity.canReach(src.id, dst.id, candidate.port, candidate.protocol);
        if (allowed) add(src.id, dst.id, portLabel(candidate));
      }
    }
    // Egress to external CIDRs: only the source's side applies.
    for (const p of egress) {
      for (const rule of p.egress) {
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
    for (const p of isolating(dst, 'Ingress')) {
      for (const rule of p.ingress) {
        for (const peer of rule?.from ?? []) {
          const cidr = cidrOf(peer);
          if (cidr === undefined) continue;
          externals.add(cidr);
          for (const candidate of candidatePorts(dst, portsOf([p], 'ingress'))) {
            if (rulePortsMatch(rule, dst, candidate?.port, candidate?.protocol ?? 'TCP')) add(cidr, dst.id, portLabel(candidate));
          }
        }
      }
    }
  }
  return {
    workloads,
    externals: [...externals].sort(compareStrings),
    flows: [...flows.values()].sort(compareFlows),
    openIngress: workloads.filter((w) => isolating(w, 'Ingress').length === 0).map((w) => w.id),
    openEgress: workloads.filter((w) => isolating(w, 'Egress').length === 0).map((w) => w.id),
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
