import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/**
 * Whether build/ holds what `tsc -b` (the typecheck step of `npm test`) makes of the current
 * lib/ and imports/: its build info is at least as new as every source there. `tsc -b` refreshes
 * the build info whenever it checks a newer source, but leaves an output file alone when its
 * content would not change, so the outputs' own times cannot tell.
 */
export function compiledLibraryIsFresh(): boolean {
  const buildInfo = path.join(ROOT, 'build', 'tsconfig.tsbuildinfo');
  if (!fs.existsSync(buildInfo)) return false;
  const built = fs.statSync(buildInfo).mtimeMs;
  return ['lib', 'imports'].every(dir => fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter(f => f.endsWith('.ts'))
    .every(f => fs.statSync(path.join(ROOT, dir, f)).mtimeMs <= built));
}
