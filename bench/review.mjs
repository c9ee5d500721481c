// `npm run bench:review`: bundles bench/review.ts with esbuild and runs it (see that file).
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { bundle } from '../scripts/bundle.cjs';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'build', 'bench', 'review.cjs');
bundle({ entryPoints: [join(root, 'bench', 'review.ts')], outfile });
createRequire(import.meta.url)(outfile);
