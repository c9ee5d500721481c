import { runCli } from '../../lib/synth/review/cli';

export * from '../../lib/synth/review-report';
export { computeTraffic } from '../../lib/synth/review/network-flows';
export { selectorMatches } from '../../lib/network/label-selector';
export { diffFields } from '../../lib/synth/review/object-diff';
export { parseManifests } from '../../lib/synth/review/manifest-tree';

/** Runs the command line in-process in `cwd` and collects what it prints. */
export function runCliForTest(argv: readonly string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { cwd, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

import { ANY_POD, ANYWHERE, Flow, TrafficModel } from '../../lib/synth/review/network-flows';
export { ANY_POD, ANYWHERE } from '../../lib/synth/review/network-flows';

/** Whether an egress port label (`any`, `any/UDP`, `443/TCP`, `8000-8100/TCP`, `http/TCP`) admits `port` on `destination`. */
function labelAdmits(label: string, port: string, destination: TrafficModel['workloads'][number]): boolean {
  if (label === 'any') return true;
  if (port === 'any') return false;
  const [number, protocol] = port.split('/');
  const [what, labelProtocol] = label.split('/');
  if (labelProtocol !== protocol) return false;
  if (what === 'any') return true;
  const range = /^(\d+)-(\d+)$/.exec(what);
  if (range !== null) return Number(number) >= Number(range[1]) && Number(number) <= Number(range[2]);
  if (/^\d+$/.test(what)) return what === number;
  return destination.ports.some((p) => p.name === what && String(p.containerPort) === number && (p.protocol ?? 'TCP') === protocol);
}

/**
 * The model's flows with the summaries spelled out, as the module doc of network-flows defines
 * them: a destination admitting (anywhere)/(any pod) on a port is reached by every workload that
 * is not isolated for egress or whose flow to (anywhere)/(any pod) admits that port.
 */
export function expandFlows(model: TrafficModel): Flow[] {
  const pseudo = (e: string): boolean => e === ANYWHERE || e === ANY_POD;
  const out = new Map<string, Flow>();
  const add = (f: Flow): void => { out.set(`${f.from}\u0000${f.to}\u0000${f.port}`, f); };
  const open = new Set(model.openEgress);
  for (const f of model.flows) if (!pseudo(f.from) && !pseudo(f.to)) add(f);
  for (const f of model.flows.filter((x) => pseudo(x.from) && !pseudo(x.to))) {
    const destination = model.workloads.find((w) => w.id === f.to)!;
    for (const s of model.workloads) {
      if (s.id === f.to) continue;
      const egressToPseudo = model.flows.filter((x) => x.from === s.id && pseudo(x.to));
      if (open.has(s.id) || egressToPseudo.some((x) => labelAdmits(x.port, f.port, destination))) add({ from: s.id, to: f.to, port: f.port });
    }
  }
  return [...out.values()];
}
