import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import { WiringCheckOptions, wiringCheckHook } from '../../lib/network';
import { PullPathCheckOptions, pullPathCheckHook } from '../../lib/registry';
import { synthApp, SynthesizedChart } from '../../lib/synth';

/**
 * Synthesizes `build`'s app with the library's synth and the whole-app composition checks on (the
 * wiring check and the pull-path check), into a temporary folder; returns the manifests and files.
 */
export function checkedSynth(build: (app: App) => void, checks: { wiring?: WiringCheckOptions; pullPaths: PullPathCheckOptions }) {
  const outdir = mkdtempSync(join(tmpdir(), 'guardrails-scenario-'));
  try {
    const app = new App({ outdir });
    build(app);
    const charts: SynthesizedChart[] = synthApp(app, { beforeWrite: [wiringCheckHook(checks.wiring), pullPathCheckHook(checks.pullPaths)] });
    const manifests: any[] = charts.flatMap((c) => c.objects.map((o) => o.manifest));
    return { manifests, files: readdirSync(outdir).sort() };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
