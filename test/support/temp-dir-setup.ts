import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Jest global setup: every temporary folder of this run (cdk8s's `Testing.app()` makes one per
 * call, the synth tests several per test) goes into one fresh folder, removed by the teardown.
 * Left in the shared /tmp they pile up by thousands a run, and each synth lists its output
 * folder's parent (for a killed synth's leftovers): with 90,000 entries there, `npm test` took
 * 106 s instead of 92 s.
 *
 * The folder is on /dev/shm (memory) where that is a tmpfs with room to spare, as on most Linux
 * machines: the synth tests write and remove thousands of files, and a synth of 600 files took
 * 0.58 s on the 2-core CI machine's disk against 0.22 s there. GUARDRAILS_TEST_TMPDIR picks the parent.
 */
export default function setup(): void {
  const dir = fs.mkdtempSync(path.join(parentFolder(), 'cdk8s-guardrails-jest-'));
  process.env.GUARDRAILS_JEST_TMPDIR_BEFORE = process.env.TMPDIR ?? '';
  process.env.GUARDRAILS_JEST_TMPDIR = dir;
  // Read by os.tmpdir() here and in the workers and child processes, which are started after this.
  process.env.TMPDIR = dir;
}

/** Free space a memory-backed parent must have (a container's /dev/shm is often 64 MiB). */
const MIN_FREE_BYTES = 1024 ** 3;

/** `f_type` of a tmpfs (linux/magic.h). */
const TMPFS_MAGIC = 0x01021994;

function parentFolder(): string {
  if (process.env.GUARDRAILS_TEST_TMPDIR) return process.env.GUARDRAILS_TEST_TMPDIR;
  const shm = '/dev/shm';
  try {
    const stats = fs.statfsSync(shm);
    fs.accessSync(shm, fs.constants.W_OK);
    if (stats.type === TMPFS_MAGIC && stats.bavail * stats.bsize >= MIN_FREE_BYTES) return shm;
  } catch {
    // No /dev/shm (macOS, Windows) or not writable: the usual temporary folder.
  }
  return os.tmpdir();
}
