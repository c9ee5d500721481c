// `npm run bench:config-keys`: bundles bench/config-keys.ts with esbuild and runs it (see there).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundle } from './bundle.cjs';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'build', 'bench', 'config-keys.cjs');
bundle({ entryPoints: [join(root, 'bench', 'config-keys.ts')], outfile });
createRequire(import.meta.url)(outfile);
