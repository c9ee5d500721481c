// `npm run bench`: bundles bench/*.ts with esbuild (no type-checking runtime on the hot path) and
// runs the orchestrator, which runs every measurement in a child process.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundle } from './bundle.cjs';

const root = join(import.meta.dirname, '..');
const outdir = join(root, 'build', 'bench');
bundle({ entryPoints: { run: join(root, 'bench', 'run.ts'), measure: join(root, 'bench', 'measure.ts') }, outdir });
createRequire(import.meta.url)(join(outdir, 'run.cjs'));
