// Synthesizes the bundled app stacks into dist/ without a type-checking TypeScript runtime:
// esbuild bundles apps/main.ts and node runs the bundle.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundle } from './bundle.cjs';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'build', 'synth', 'main.cjs');
bundle({ entryPoints: [join(root, 'apps', 'main.ts')], outfile });
createRequire(import.meta.url)(outfile);
