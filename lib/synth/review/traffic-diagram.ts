/**
 * Renders the allowed traffic of the head tree as a Mermaid `graph LR`, highlighting flows that
 * the base tree did not allow, and lists the flows that head allows no more.
 */
import { compareFlows, comparePorts, Flow, TrafficModel } from './network-flows';
import { compareStrings } from '../manifest-files';

/** The flows of head compared with base. */
export interface TrafficDiff {
  /** Flows allowed in head and not in base. */
  readonly added: readonly Flow[];
  /** Flows allowed in base and not in head. */
  readonly removed: readonly Flow[];
}

const flowKey = (f: Flow): string => `${f.from}\u0000${f.to}\u0000${f.port}`;

/** The flows head adds and removes relative to base, sorted. */
export function diffTraffic(base: TrafficModel, head: TrafficModel): TrafficDiff {
  const before = new Set(base.flows.map(flowKey));
  const after = new Set(head.flows.map(flowKey));
  return {
    added: head.flows.filter((f) => !before.has(flowKey(f))).sort(compareFlows),
    removed: base.flows.filter((f) => !after.has(flowKey(f))).sort(compareFlows),
  };
}

/** Colour of newly allowed edges (GitHub's "danger" red). */
export const NEW_FLOW_STYLE = 'stroke:#d1242f,stroke-width:3px,color:#d1242f';

/**
 * The Mermaid source (without the code fence) of head's traffic: one subgraph per namespace,
 * workloads as nodes, external CIDRs as stadium nodes, one edge per (source, destination) pair
 * labelled with its ports. Edges with a newly allowed port are thick (`==>`), red, and their new
 * ports are marked `(new)`.
 */
export function renderTrafficDiagram(head: TrafficModel, diff: TrafficDiff): string {
  const lines = ['graph LR'];
  const ids = new Map<string, string>();
  const namespaces = [...new Set(head.workloads.map((w) => w.namespace))].sort(compareStrings);
  namespaces.forEach((ns, i) => {
    lines.push(`  subgraph ns${i}["namespace ${ns}"]`);
    for (const w of head.workloads.filter((x) => x.namespace === ns)) {
      const id = `w${ids.size}`;
      ids.set(w.id, id);
      lines.push(`    ${id}["${w.name}"]`);
    }
    lines.push('  end');
  });
  head.externals.forEach((cidr, i) => {
    ids.set(cidr, `x${i}`);
    lines.push(`  x${i}(["${cidr}"])`);
  });

  const added = new Set(diff.added.map(flowKey));
  const edges = new Map<string, Flow[]>();
  for (const f of head.flows) {
    const key = `${f.from}\u0000${f.to}`;
    edges.set(key, [...(edges.get(key) ?? []), f]);
  }
  const highlighted: number[] = [];
  let index = 0;
  for (const key of [...edges.keys()].sort(compareStrings)) {
    const flows = edges.get(key)!.sort((a, b) => comparePorts(a.port, b.port));
    const isNew = flows.some((f) => added.has(flowKey(f)));
    const label = flows.map((f) => (added.has(flowKey(f)) ? `${f.port} (new)` : f.port)).join(', ');
    const { from, to } = flows[0];
    lines.push(`  ${ids.get(from)} ${isNew ? '==>' : '-->'}|"${label}"| ${ids.get(to)}`);
    if (isNew) highlighted.push(index);
    index++;
  }
  if (highlighted.length > 0) {
    lines.push(`  linkStyle ${highlighted.join(',')} ${NEW_FLOW_STYLE}`);
  }
  return lines.join('\n');
}
