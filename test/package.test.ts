import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compiledLibraryIsFresh } from './support/build-freshness';

const root = resolve(__dirname, '..');

// `npm test` compiles first (tsc emits build/); a bare `jest` run on a missing or stale build
// compiles the library itself.
beforeAll(() => {
  if (!existsSync(join(root, 'build/lib/index.js')) || !compiledLibraryIsFresh()) {
    execFileSync('npx', ['tsc', '-b', 'tsconfig.json'], { cwd: root, stdio: 'inherit' });
  }
}, 180_000);

describe('the published package', () => {
  test('packs the compiled library, its types and the README', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files: string[] = pack.files.map((f: { path: string }) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'build/lib/index.js', 'build/lib/index.d.ts', 'build/lib/workload/secure-deployment.js']));
    expect(files.some((f) => f.startsWith('lib/') || f.startsWith('test/') || f.startsWith('dist/'))).toBe(false);
  });

  test('can be required by name from another project and synthesizes a workload', () => {
    // GIVEN a consumer project whose node_modules holds this package (peer deps come from ours)
    const consumer = mkdtempSync(join(tmpdir(), 'guardrails-consumer-'));
    mkdirSync(join(consumer, 'node_modules'));
    symlinkSync(root, join(consumer, 'node_modules', 'cdk8s-guardrails'), 'dir');
    writeFileSync(join(consumer, 'index.js'), [
      "const { App, Chart } = require('cdk8s');",
      "const { SecureDeployment } = require('cdk8s-guardrails');",
      "const app = new App({ outdir: 'out' });",
      "const chart = new Chart(app, 'consumer', { namespace: 'demo' });",
      "new SecureDeployment(chart, 'web', { image: 'registry.example.com/web:1.0.0' });",
      'app.synth();',
    ].join('\n'));
    // WHEN it runs with plain node
    execFileSync(process.execPath, ['index.js'], { cwd: consumer, env: { ...process.env, NODE_PATH: join(root, 'node_modules') } });
    // THEN the compiled construct wrote its hardened Deployment
    const yaml = readFileSync(join(consumer, 'out', 'consumer.k8s.yaml'), 'utf8');
    expect(yaml).toContain('kind: Deployment');
    expect(yaml).toContain('readOnlyRootFilesystem: true');
    expect(yaml).toContain('image: registry.example.com/web:1.0.0');
  });
});
