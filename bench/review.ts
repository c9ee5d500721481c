// `npm run bench:review`: how long `cdk8s-guardrails review` takes on two trees of N services
// (base and head), at N/2 and N, and the ratio t(N)/t(N/2) (2 for a linear review).
//   BENCH_REVIEW_SERVICES  the largest N (default 4000); N/2 is measured too
//   BENCH_REVIEW_REPEAT    runs per size, best kept (default 3; the machine is shared)
// Each service is the bench's realistic hardened set (SecureDeployment: Deployment,
// ServiceAccount, Service, ConfigMap, HPA, PDB, plus an ingress NetworkPolicy), synthesized once
// by cdk8s and renamed per service; one file per service, 50 team namespaces, in two targets
// (`aws/production` and `alibaba/production`, half the services each, like dist/). Head changes
// 1% of the services (image, HPA minimum replicas), removes one service's NetworkPolicy and adds a
// LoadBalancer Service, so every part of the report has work to do. The review runs in-process
// through the command line (read both trees, review, render Markdown), timed as a whole.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Chart } from 'cdk8s';
import * as YAML from 'yaml';
import { runCli } from '../lib/synth/review/cli';
import { addServiceSet } from './scenarios';

const largest = Number(process.env.BENCH_REVIEW_SERVICES ?? 4000);
const repeat = Math.max(1, Number(process.env.BENCH_REVIEW_REPEAT ?? 3));

/** The objects of one service set named `svc-0000` in `team-0`, as cdk8s synthesizes them. */
function template(): any[] {
  const app = new App();
  const chart = new Chart(app, 'svc-0000', { namespace: 'team-0' });
  addServiceSet(chart, 'svc-0000');
  return chart.toJson();
}

/** Writes base and head trees of `n` services below `root` (the template's YAML, renamed as text). */
function writeTrees(root: string, n: number): void {
  const documents = template().map((o) => ({ kind: String(o.kind), text: YAML.stringify(o) }));
  for (const side of ['base', 'head']) {
    for (let i = 0; i < n; i++) {
      const name = `svc-${String(i).padStart(4, '0')}`;
      const target = i % 2 === 0 ? 'aws/production' : 'alibaba/production';
      let docs = documents.map((d) => ({ kind: d.kind, text: d.text.replace(/svc-0000/g, name).replace(/namespace: team-0\n/g, `namespace: team-${i % 50}\n`) }));
      if (side === 'head' && i % 100 === 7) {
        // 1% of the services: a new image and a higher minimum of replicas
        docs = docs.map((d) => ({ kind: d.kind, text: d.text.replace(`${name}:1.2.3`, `${name}:1.3.0`).replace('minReplicas: 3', 'minReplicas: 4') }));
      }
      if (side === 'head' && i === 11) docs = docs.filter((d) => d.kind !== 'NetworkPolicy');
      if (side === 'head' && i === 12) {
        docs.push({ kind: 'Service', text: YAML.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: `${name}-public`, namespace: `team-${i % 50}` }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } }) });
      }
      const dir = join(root, side, target);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, `${name}.k8s.yaml`), docs.map((d) => d.text).join('---\n'));
    }
    for (const target of ['aws/production', 'alibaba/production']) writeFileSync(join(root, side, target, 'kustomization.yaml'), 'resources: []\n');
  }
}

function review(root: string): { seconds: number; cpuSeconds: number; reportChars: number } {
  let report = '';
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const code = runCli(['review', '--base', join(root, 'base'), '--head', join(root, 'head')], {
    stdout: (t) => { report += t; },
    stderr: (t) => process.stderr.write(t),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const used = process.cpuUsage(cpu);
  if (code !== 0) throw new Error(`review exited ${code}`);
  return { seconds, cpuSeconds: (used.user + used.system) / 1e6, reportChars: report.length };
}

const rows: string[] = [];
const best: Record<number, { seconds: number; cpuSeconds: number }> = {};
for (const n of [largest / 2, largest]) {
  const root = mkdtempSync(join(tmpdir(), 'bench-review-'));
  try {
    const generated = Date.now();
    writeTrees(root, n);
    process.stderr.write(`  ${n} services: trees written in ${((Date.now() - generated) / 1000).toFixed(1)} s\n`);
    const runs = Array.from({ length: repeat }, () => review(root));
    const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    best[n] = { seconds: fastest.seconds, cpuSeconds: Math.min(...runs.map((r) => r.cpuSeconds)) };
    rows.push(`| ${n} | ${(n * 7).toLocaleString('en')} | ${fastest.seconds.toFixed(2)} | ${best[n].cpuSeconds.toFixed(2)} | ${runs.map((r) => r.seconds.toFixed(2)).join(', ')} | ${fastest.reportChars.toLocaleString('en')} |`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
const ratio = best[largest].seconds / best[largest / 2].seconds;
const cpuRatio = best[largest].cpuSeconds / best[largest / 2].cpuSeconds;
process.stdout.write([
  `## review bench: base and head trees of N services each (${repeat} runs per size, best kept)`,
  '',
  '| N services | objects per tree | review s (best) | cpu s | all runs s | report chars |',
  '|---|---|---|---|---|---|',
  ...rows,
  '',
  `t(${largest}) / t(${largest / 2}) = ${ratio.toFixed(2)} wall, ${cpuRatio.toFixed(2)} cpu (2.00 is linear)`,
  `target: ${largest} services reviewed in ≤ 10 s: ${best[largest].seconds <= 10 ? 'met' : 'NOT met'} (${best[largest].seconds.toFixed(2)} s)`,
  '',
].join('\n'));
