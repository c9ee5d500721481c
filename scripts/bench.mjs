// `npm run bench`: bundles bench/*.ts with esbuild (no type-checking runtime on the hot path) and
// runs the orchestrator, which runs every measurement in a child process.
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'build', 'bench');
mkdirSync(outdir, { recursive: true });
buildSync({
  entryPoints: { run: join(root, 'bench', 'run.ts'), measure: join(root, 'bench', 'measure.ts') },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outdir,
  outExtension: { '.js': '.cjs' },
  logLevel: 'warning',
});
createRequire(import.meta.url)(join(outdir, 'run.cjs'));
