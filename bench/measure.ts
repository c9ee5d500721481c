// One measurement, run in its own process so its peak RSS is its own:
//   node build/bench/measure.cjs <scenario> <size> <stock|ours|inline|yaml>
// Prints one JSON line: { buildSeconds, seconds, cpuSeconds, peakMB, files, sha256 }; cpuSeconds is
// the process's CPU time (all threads) during the synth, which a loaded machine disturbs less than wall time.
// `seconds` times the synth only (the app is built first, untimed). `inline` is `ours` with every
// document rendered on the main thread (`renderThreads: 0`), to show what the worker threads gain. For `yaml`, the manifests are
// resolved untimed and `seconds` times writing the same plain objects with the `yaml` package (one
// file per chart, cdk8s's stringify options), after dropping the construct tree and a full GC
// (run with --expose-gc): the lower bound for any cdk8s synth.
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { resolveApp, synthApp } from '../lib/synth';
import { SCENARIOS } from './scenarios';

function hashTree(dir: string): { files: number; sha256: string } {
  const hash = createHash('sha256');
  let files = 0;
  const walk = (d: string) => {
    for (const name of fs.readdirSync(d).sort()) {
      const full = path.join(d, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else {
        files++;
        hash.update(path.relative(dir, full)).update('\0').update(fs.readFileSync(full)).update('\0');
      }
    }
  };
  walk(dir);
  return { files, sha256: hash.digest('hex') };
}

function main(): void {
  const [scenario, sizeArg, mode] = process.argv.slice(2);
  const build = SCENARIOS[scenario];
  if (!build || !['stock', 'ours', 'inline', 'yaml'].includes(mode)) {
    throw new Error(`usage: measure.cjs <${Object.keys(SCENARIOS).join('|')}> <size> <stock|ours|inline|yaml>`);
  }
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${scenario}-${mode}-`));
  try {
    const t0 = performance.now();
    let app: App | undefined = new App({ outdir });
    build(app, Number(sizeArg));
    let t1 = performance.now();
    let cpu0 = process.cpuUsage();
    if (mode === 'stock') {
      app.synth();
    } else if (mode === 'ours') {
      synthApp(app);
    } else if (mode === 'inline') {
      synthApp(app, { renderThreads: 0 });
    } else {
      // Keep only the plain objects (drop the construct tree) and start from a collected heap,
      // so the bound is what the yaml package alone costs on them.
      const files = resolveApp(app).charts.map(c => ({ name: c.chart.node.path, docs: c.objects.map(o => o.manifest) }));
      app = undefined;
      (globalThis as { gc?: () => void }).gc?.();
      t1 = performance.now();
      cpu0 = process.cpuUsage();
      for (const f of files) {
        const text = f.docs
          .map(doc => YAML.stringify(doc, { keepUndefined: true, lineWidth: 0, version: '1.1' }))
          .join('---\n');
        fs.writeFileSync(path.join(outdir, `${f.name}.k8s.yaml`), text);
      }
    }
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const { files, sha256 } = hashTree(outdir);
    const peakMB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify({
      buildSeconds: (t1 - t0) / 1000, seconds: (t2 - t1) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakMB, files, sha256,
    }) + '\n');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

main();
