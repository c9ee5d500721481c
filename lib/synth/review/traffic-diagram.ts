/**
 * Renders the allowed traffic of the head tree as a Mermaid `graph LR`, highlighting flows that
 * the base tree did not allow, and lists the flows that head allows no more.
 */
import { compareFlows, comparePorts, Flow, summaryCoverage, TrafficModel } from './network-flows';
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
  // A workload-to-workload flow one side lists and the other allows through a summary is no change.
  const coveredBefore = summaryCoverage(base);
  const coveredAfter = summaryCoverage(head);
  return {
    added: head.flows.filter((f) => !before.has(flowKey(f)) && !coveredBefore(f)).sort(compareFlows),
    removed: base.flows.filter((f) => !after.has(flowKey(f)) && !coveredAfter(f)).sort(compareFlows),
  };
}

/** Colour of newly allowed edges (GitHub's "danger" red). */
export const NEW_FLOW_STYLE = 'stroke:#d1242f,stroke-width:3px,color:#d1242f';

/** The most edges drawn in one diagram (GitHub's Mermaid refuses graphs past 500 edges). */
export const MAX_DIAGRAM_EDGES = 200;

/** Mermaid node ids: letters and digits only, unique across every target of a report. */
function nodeId(prefix: string, kind: 'w' | 'x', index: number): string {
  return `${prefix}${kind}${index}`;
}

/**
 * A label inside `["..."]`: Mermaid ends it at a double quote. Names read from an edited tree may
 * be any YAML scalar (a name edited to `42` reads as a number), so the value is made a string first.
 */
function label(text: unknown): string {
  return String(text).replace(/"/g, '#quot;');
}

/**
 * The Mermaid source (without the code fence) of head's traffic: one subgraph per namespace,
 * workloads as nodes, external CIDRs and {@link ANYWHERE}/{@link ANY_POD} as stadium nodes, one
 * edge per (source, destination) pair labelled with its ports. Edges with a newly allowed port
 * are thick (`==>`), red, and their new ports are marked `(new)`. Node ids start with `idPrefix`
 * (one per target, so ids are unique across a report). Past {@link MAX_DIAGRAM_EDGES} edges only
 * the edges with newly allowed ports are drawn, up to that many; `omitted` counts the rest.
 */
export function renderTrafficDiagram(head: TrafficModel, diff: TrafficDiff, idPrefix = ''): string {
  return renderTrafficDiagramWithCount(head, diff, idPrefix).diagram;
}

/** {@link renderTrafficDiagram}, with the number of edges left out. */
export function renderTrafficDiagramWithCount(head: TrafficModel, diff: TrafficDiff, idPrefix = ''): { diagram: string; omitted: number } {
  const added = new Set(diff.added.map(flowKey));
  const edges = new Map<string, Flow[]>();
  for (const f of head.flows) {
    const key = `${f.from}\u0000${f.to}`;
    const list = edges.get(key);
    if (list === undefined) edges.set(key, [f]);
    else list.push(f);
  }
  let keys = [...edges.keys()].sort(compareStrings);
  const all = keys.length;
  if (keys.length > MAX_DIAGRAM_EDGES) {
    keys = keys.filter((k) => edges.get(k)!.some((f) => added.has(flowKey(f)))).slice(0, MAX_DIAGRAM_EDGES);
  }
  const shown = new Set(keys.flatMap((k) => k.split('\u0000')));
  const drawAll = keys.length === all;

  const lines = ['graph LR'];
  const ids = new Map<string, string>();
  let workloadIndex = 0;
  const byNamespace = new Map<string, typeof head.workloads[number][]>();
  for (const w of head.workloads) {
    if (!drawAll && !shown.has(w.id)) continue;
    const list = byNamespace.get(w.namespace);
    if (list === undefined) byNamespace.set(w.namespace, [w]);
    else list.push(w);
  }
  [...byNamespace.keys()].sort(compareStrings).forEach((ns, i) => {
    lines.push(`  subgraph ${idPrefix}ns${i}["namespace ${label(ns)}"]`);
    for (const w of byNamespace.get(ns)!) {
      const id = nodeId(idPrefix, 'w', workloadIndex++);
      ids.set(w.id, id);
      lines.push(`    ${id}["${label(w.name)}"]`);
    }
    lines.push('  end');
  });
  head.externals.filter((x) => drawAll || shown.has(x)).forEach((cidr, i) => {
    const id = nodeId(idPrefix, 'x', i);
    ids.set(cidr, id);
    lines.push(`  ${id}(["${label(cidr)}"])`);
  });

  const highlighted: number[] = [];
  let index = 0;
  for (const key of keys) {
    const flows = edges.get(key)!.sort((a, b) => comparePorts(a.port, b.port));
    const isNew = flows.some((f) => added.has(flowKey(f)));
    const text = flows.map((f) => (added.has(flowKey(f)) ? `${f.port} (new)` : f.port)).join(', ');
    const { from, to } = flows[0];
    lines.push(`  ${ids.get(from)} ${isNew ? '==>' : '-->'}|"${label(text)}"| ${ids.get(to)}`);
    if (isNew) highlighted.push(index);
    index++;
  }
  if (highlighted.length > 0) {
    lines.push(`  linkStyle ${highlighted.join(',')} ${NEW_FLOW_STYLE}`);
  }
  return { diagram: lines.join('\n'), omitted: all - keys.length };
}
