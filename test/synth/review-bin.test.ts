import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compiledLibraryIsFresh } from '../support/build-freshness';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// `npm test` compiles first (its typecheck emits build/); a bare `jest` run on a missing or stale
// build compiles the library itself.
beforeAll(() => {
  if (!existsSync(join(root, pkg.bin['cdk8s-guardrails'])) || !compiledLibraryIsFresh()) {
    execFileSync('npx', ['tsc', '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  }
}, 180_000);

describe('the cdk8s-guardrails executable', () => {
  test('is declared as a package bin pointing at compiled JavaScript, with a node shebang', () => {
    expect(pkg.bin).toEqual({ 'cdk8s-guardrails': 'build/lib/synth/review/bin.js' });
    expect(pkg.scripts.review).toContain('node build/lib/synth/review/bin.js review');
    expect(readFileSync(join(root, pkg.bin['cdk8s-guardrails']), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  test('is packed with the package', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    expect(pack.files.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining([pkg.bin['cdk8s-guardrails'], 'build/lib/synth/review/cli.js']));
  });

  test('runs with plain node (no ts-node) and prints the golden report', () => {
    const fixtures = join(root, 'test/fixtures/review');
    const out = execFileSync(process.execPath, [join(root, pkg.bin['cdk8s-guardrails']), 'review', '--base', 'base', '--head', 'head'], { cwd: fixtures, encoding: 'utf8' });
    expect(out).toBe(readFileSync(join(fixtures, 'expected.md'), 'utf8'));
  });

  test('`review --help` prints the usage and exits 0', () => {
    const out = execFileSync(process.execPath, [join(root, pkg.bin['cdk8s-guardrails']), 'review', '--help'], { encoding: 'utf8' });
    expect(out).toContain('Usage: cdk8s-guardrails review --base <dir-or-git-ref> --head <dir-or-git-ref>');
    expect(out).toContain('--fail-on-new-violations');
  });

  test('exits 2 on a usage error', () => {
    let status = 0;
    try {
      execFileSync(process.execPath, [join(root, pkg.bin['cdk8s-guardrails']), 'review'], { stdio: 'pipe' });
    } catch (e) {
      status = (e as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
