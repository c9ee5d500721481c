import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = join(__dirname, '..', '..', 'scripts', 'check-secret-leaks.mjs');

function run(files: Record<string, string>, known?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'leaks-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return spawnSync(process.execPath, [script, dir], { encoding: 'utf8', env: { ...process.env, KNOWN_SECRET_VALUES: known ?? '' } });
}

describe('npm run check:secrets', () => {
  test('passes clean manifests, also in sub-folders', () => {
    const r = run({ 'aws/production/a.k8s.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n' }, 'hunter2-hunter2');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/No secret leaks in 1 file\(s\) under .* \(1 known value\(s\) checked\)/);
  });

  test('fails on a known value and on an unmarked Secret, naming the file but not the value', () => {
    const r = run({
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  url: "postgres://u:hunter2-hunter2@db"\n',
      'b.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: b\ndata:\n  k: dg==\n',
    }, 'hunter2-hunter2');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/a\.yaml: ConfigMap 'a' \(manifest #0\) contains known secret value #0/);
    expect(r.stderr).toMatch(/b\.yaml: Secret 'b' \(manifest #0\) carries literal data without the 'cdk8s-guardrails.io\/plaintext-secret-reason' opt-in/);
    expect(r.stderr).not.toContain('hunter2-hunter2');
  });
});
