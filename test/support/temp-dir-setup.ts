import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Jest global setup: every temporary folder of this run (cdk8s's `Testing.app()` makes one per
 * call, the synth tests several per test) goes into one fresh folder, removed by the teardown.
 * Left in the shared /tmp they pile up by thousands a run, and each synth lists its output
 * folder's parent (for a killed synth's leftovers): with 90,000 entries there, `npm test` took
 * 106 s instead of 92 s.
 */
export default function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-guardrails-jest-'));
  process.env.GUARDRAILS_JEST_TMPDIR_BEFORE = process.env.TMPDIR ?? '';
  process.env.GUARDRAILS_JEST_TMPDIR = dir;
  // Read by os.tmpdir() here and in the workers and child processes, which are started after this.
  process.env.TMPDIR = dir;
}
