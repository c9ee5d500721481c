// `npm run fuzz:nightly`: the fuzz suite (test/fuzz) with many more runs per construct than CI's
// 200, and a fresh seed each night (printed, so a failure replays with FUZZ_SEED=<seed>).
//   FUZZ_RUNS  runs per construct (default 3000)
//   FUZZ_SEED  seed (default: random)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const runs = process.env.FUZZ_RUNS ?? '3000';
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzz:nightly: FUZZ_RUNS=${runs} FUZZ_SEED=${seed}`);
const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const r = spawnSync(process.execPath, [jest, '--runInBand', '--testTimeout=3600000', 'test/fuzz'], {
  cwd: root, stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: runs, FUZZ_SEED: seed },
});
if (r.status !== 0) console.error(`fuzz:nightly failed: replay with FUZZ_RUNS=${runs} FUZZ_SEED=${seed} npm run fuzz:nightly`);
process.exit(r.status ?? 1);
