// The risk summary: a golden report for a change touching every risk category, on a two-target
// tree (test/fixtures/review-risks/{base,head}; UPDATE_GOLDEN=1 rewrites expected.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RISK_CATEGORIES } from '../../lib/synth/review/risks';
import { runCliForTest } from './review-support';

const fixtures = resolve(__dirname, '../fixtures/review-risks');
const golden = join(fixtures, 'expected.md');

function review(): string {
  const { code, stdout, stderr } = runCliForTest(['review', '--base', 'base', '--head', 'head'], fixtures);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

describe('risk summary', () => {
  test('matches the golden report', () => {
    const report = review();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, report);
    expect(report).toBe(readFileSync(golden, 'utf8'));
  });

  test('comes first and lists every category, each line linking to an anchor of the report', () => {
    const report = review();
    const summary = report.slice(report.indexOf('### Review first'), report.indexOf('### Target'));
    expect(report.indexOf('### Review first')).toBeLessThan(report.indexOf('<details>'));
    for (const { title } of RISK_CATEGORIES) expect(summary).toContain(`**${title}**`);
    const links = [...summary.matchAll(/\(\[diff\]\(#([\w-]+)\)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThanOrEqual(RISK_CATEGORIES.length);
    for (const anchor of links) expect(report).toContain(`<a name="${anchor}"></a>`);
  });

  test('names each risk of the change', () => {
    const summary = review().split('### Target')[0];
    for (const expected of [
      /`v1 Service shop\/web` is exposed as `LoadBalancer` \(was `ClusterIP`\)/,
      /`v1 Service shop\/internal`: internal load balancer annotation `service\.beta\.kubernetes\.io\/aws-load-balancer-scheme: internal` removed/,
      /`networking\.k8s\.io\/v1 Ingress shop\/web` serves the new host `admin\.example\.com`/,
      /`\(anywhere\)` → `shop\/api` on `8080\/TCP` \(from outside the cluster\)/,
      /`networking\.k8s\.io\/v1 NetworkPolicy shop\/default-deny`/,
      /`rbac\.authorization\.k8s\.io\/v1 Role shop\/reader` now also grants `get secrets`/,
      /`rbac\.authorization\.k8s\.io\/v1 RoleBinding shop\/reader` now also binds `ServiceAccount shop\/web → Role reader`/,
      /new Pod Security Standards \(restricted\) finding on `Deployment shop\/web`: capabilities/,
      /suppression `policy\.cdk8s-guardrails\.io\/suppress\.capabilities` added/,
      /container `web`: `"registry\.example\.com\/web:1\.0\.0"` → `"registry\.example\.com\/web:1\.1\.0"`/,
      /`\/spec\/replicas` `2` → `4`/,
      /`v1 ConfigMap shop\/old-config`/,
    ]) expect(summary).toMatch(expected);
    expect(summary).not.toMatch(/alibaba/);
  });

  test('never prints the Secret inside the List', () => {
    const report = review();
    expect(report).toContain('| `/data/password` | `***` | `***` (changed) |');
    for (const value of ['b2xkLXBhc3N3b3Jk', 'bmV3LXBhc3N3b3Jk']) expect(report).not.toContain(value);
  });
});
