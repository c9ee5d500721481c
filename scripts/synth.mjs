// Synthesizes the bundled app stacks into dist/ without a type-checking TypeScript runtime:
// esbuild bundles apps/main.ts (dependencies stay external) and node runs the bundle.
// Type checking happens in `npm test` / `npm run build`, not on this hot path.
import { buildSync } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'build', 'synth', 'main.cjs');
mkdirSync(join(root, 'build', 'synth'), { recursive: true });
buildSync({
  entryPoints: [join(root, 'apps', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  outfile,
  logLevel: 'warning',
});
createRequire(import.meta.url)(outfile);
