import * as fs from 'node:fs';

/** Jest global teardown: removes this run's temporary folder (see temp-dir-setup.ts). */
export default function teardown(): void {
  const dir = process.env.GUARDRAILS_JEST_TMPDIR;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const before = process.env.GUARDRAILS_JEST_TMPDIR_BEFORE;
  if (before) process.env.TMPDIR = before;
  else delete process.env.TMPDIR;
}
