import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseManifests, readManifestTreeFromDir, renderReviewReport, ReviewPolicyCheck, runCliForTest } from './review-support';
import { findRisks } from '../../lib/synth/review/risks';

const fixtures = resolve(__dirname, '../fixtures/review');
const golden = join(fixtures, 'expected.md');

/** Runs the command in the fixtures folder, as a reviewer would, and returns its output. */
function reviewFixtures(): string {
  const { code, stdout, stderr } = runCliForTest(['review', '--base', 'base', '--head', 'head'], fixtures);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return stdout;
}

describe('review report on the fixture trees', () => {
  test('matches the golden file test/fixtures/review/expected.md', () => {
    const report = reviewFixtures();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, report);
    expect(report).toBe(readFileSync(golden, 'utf8'));
  });

  test('is byte-identical across runs', () => {
    expect(reviewFixtures()).toBe(reviewFixtures());
  });

  test('lists the added Service, the removed ConfigMap and the changed Deployment fields', () => {
    const report = reviewFixtures();
    expect(report).toMatch(/##### Added \(3\)[\s\S]*`v1 Service production\/user-service`/);
    expect(report).toMatch(/##### Removed \(1\)\n\n- <a name="review-v1-configmap-production-legacy-settings"><\/a>`v1 ConfigMap production\/legacy-settings`/);
    expect(report).toContain('| `/spec/replicas` | `3` | `5` |');
    expect(report).toContain('| `/spec/template/spec/containers/0/image` | `"registry.example.com/user-service:v1.2.3"` | `"registry.example.com/user-service:v1.3.0"` |');
  });

  test('masks Secret values, old and new', () => {
    const report = reviewFixtures();
    expect(report).toContain('| `/data/password` | `***` | `***` (changed) |');
    expect(report).toContain('| `/data/username` | *(absent)* | `***` |');
    for (const value of ['b2xkLXBhc3N3b3Jk', 'bmV3LXBhc3N3b3Jk', 'YXBw', 'old-password', 'new-password']) {
      expect(report).not.toContain(value);
    }
  });

  test('reports PSS violations of the head tree and flags the new one', () => {
    const report = reviewFixtures();
    expect(report).toContain('❌ Pod Security Standards (restricted): 2 violations');
    expect(report).toMatch(/\| Deployment production\/user-service \| `spec\.containers\[0\]\.securityContext\.capabilities\.add\[0\]` \| capabilities \| .*NET_ADMIN.* \| new \|/);
    expect(report).toMatch(/\| Deployment production\/frontend \| .* seccompProfile \| .* \| {2}\|/);
  });

  test('draws frontend → user-service as a newly allowed, highlighted edge', () => {
    const report = reviewFixtures();
    const mermaid = /```mermaid\n([\s\S]*?)```/.exec(report)![1];
    expect(mermaid.startsWith('graph LR\n')).toBe(true);
    expect(mermaid).toContain('t0w0["frontend"]');
    expect(mermaid).toContain('t0w1["user-service"]');
    const edges = mermaid.split('\n').filter((l) => /-->|==>/.test(l));
    const index = edges.findIndex((l) => l.includes('t0w0 ==>|"8080/TCP (new)"| t0w1'));
    expect(index).toBeGreaterThanOrEqual(0);
    expect(mermaid).toMatch(new RegExp(`linkStyle (\\d+,)*${index}(,\\d+)* stroke:#d1242f`));
    // the database egress existed before: a plain edge
    expect(mermaid).toContain('t0w1 -->|"5432/TCP"| t0x0');
    expect(report).toContain('- `production/frontend` → `production/user-service` on `8080/TCP`');
    expect(report).toMatch(/\*\*No longer allowed\*\* \(1\)\n\n- `production\/frontend` → `0\.0\.0\.0\/0` on `443\/TCP`/);
  });
});

describe('review report options', () => {
  const base = readManifestTreeFromDir(join(fixtures, 'base'));
  const head = readManifestTreeFromDir(join(fixtures, 'head'));

  test('runs plugged-in policy checks on both trees', () => {
    const check: ReviewPolicyCheck = {
      title: 'Replicas at least 4',
      check: (objects) => objects.filter((o) => o.kind === 'Deployment' && o.spec.replicas < 4)
        .map((o) => ({ object: `Deployment ${o.metadata.name}`, rule: 'minReplicas', message: `${o.spec.replicas} replicas` })),
    };
    const report = renderReviewReport(base, head, { checks: [check] });
    expect(report).toContain('❌ Replicas at least 4: 1 violation');
    expect(report).toContain('| Deployment frontend |  | minReplicas | 2 replicas |  |');
    expect(report).not.toContain('Pod Security Standards');
  });

  test('says so when nothing changed', () => {
    const report = renderReviewReport(head, head);
    expect(report).toContain('- Objects: 0 added, 0 removed, 0 changed');
    expect(report).toContain('- Targets: 1, 0 changed');
    expect(report).toContain('Nothing to look at first');
    expect(report).toContain('### Unchanged targets\n\n- `.`: 11 objects, 2 policy violations (none new)');
    expect(report).not.toContain('```mermaid');
  });

  test('cuts long values and caps the rows per object', () => {
    const before = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1", b: "2", c: "3"}\n', 'a.yaml');
    const after = parseManifests(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "${'x'.repeat(300)}", b: "4", c: "5"}\n`, 'a.yaml');
    const report = renderReviewReport(before, after, { maxFieldsPerObject: 2, maxValueLength: 20, checks: [] });
    expect(report).toContain('| `/data/a` | `"1"` | `"xxxxxxxxxxxxxxxxxx…` |');
    expect(report).toContain('| … and 1 more | | |');
    expect(report).toContain('No policy checks configured.');
  });

  test('names the workloads no policy isolates', () => {
    const withoutPolicies = head.filter((e) => e.object.kind !== 'NetworkPolicy');
    const report = renderReviewReport(head, withoutPolicies, { checks: [] });
    expect(report).toContain('- ingress from anywhere: `production/frontend`, `production/user-service`');
    expect(report).toContain('- egress to anywhere: `production/frontend`, `production/user-service`');
    expect(report).toContain('t0x0 ==>|"8080/TCP (new)"| t0w1');
    expect(report).toContain('**NetworkPolicies removed** (6)');
    expect(renderReviewReport(base, head)).not.toContain('Not isolated');
  });

  test('refuses an object defined twice in one target, naming both places', () => {
    const twice = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "2"}\n', 'a.yaml');
    expect(() => renderReviewReport(twice.slice(0, 1), twice, { checks: [] })).toThrow(
      "review: v1 ConfigMap c is defined twice in target '.' of head: in 'a.yaml' (document 1) and in 'a.yaml' (document 2); a target must define each object once");
  });

  test('fits a pull-request comment: drops field tables first, then cuts with a note', () => {
    const full = renderReviewReport(base, head);
    const compact = renderReviewReport(base, head, { maxReportLength: full.length - 1 });
    expect(compact.length).toBeLessThan(full.length);
    expect(compact).toContain('`apps/v1 Deployment production/user-service`: 4 fields');
    expect(compact).not.toContain('| Field | Base | Head |');
    expect(compact).toContain('```mermaid');
    const cut = renderReviewReport(base, head, { maxReportLength: 600 });
    expect(cut.length).toBeLessThanOrEqual(600);
    expect(cut.endsWith('Report cut to fit a pull-request comment: run `cdk8s-guardrails review` locally for all of it.\n')).toBe(true);
  });

  test('escapes pipes inside table cells', () => {
    const before = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "x"}\n', 'a.yaml');
    const after = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "x|y"}\n', 'a.yaml');
    expect(renderReviewReport(before, after, { checks: [] })).toContain('| `/data/a` | `"x"` | `"x\\|y"` |');
  });
});

describe('review command with a git revision as base', () => {
  let repo: string;
  beforeAll(() => {
    // GIVEN a repository whose committed dist/ is the base tree and whose working dist/ is head
    repo = mkdtempSync(join(tmpdir(), 'review-git-'));
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    cpSync(join(fixtures, 'base'), join(repo, 'dist'), { recursive: true });
    writeFileSync(join(repo, 'dist', 'kustomization.yaml'), 'resources: []\n');
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    rmSync(join(repo, 'dist'), { recursive: true });
    cpSync(join(fixtures, 'head'), join(repo, 'dist'), { recursive: true });
    mkdirSync(join(repo, 'sub'));
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('reads the base from the revision without checking it out', () => {
    const fromGit = runCliForTest(['review', '--base', 'HEAD', '--head', 'dist'], repo);
    expect(fromGit.stderr).toBe('');
    const fromDirs = runCliForTest(['review', '--base', 'base', '--head', 'head'], fixtures);
    expect(fromGit.stdout.replace('`HEAD` → `dist`', '')).toBe(fromDirs.stdout.replace('`base` → `head`', ''));
    // the working tree still holds head
    expect(readFileSync(join(repo, 'dist', 'shop.k8s.yaml'), 'utf8')).toContain('v1.3.0');
  });

  test('works from a subdirectory and with --path and --out', () => {
    const result = runCliForTest(['review', '--base=HEAD', '--head', '../dist', '--path', './dist/', '--out', 'report.md'], join(repo, 'sub'));
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(repo, 'sub', 'report.md'), 'utf8')).toContain('#### Removed (1)');
  });

  test('fails clearly on something that is neither a folder nor a revision', () => {
    const result = runCliForTest(['review', '--base', 'no-such-ref', '--head', 'dist'], repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/'no-such-ref' is neither a directory nor a git revision; pass a folder of YAML files or a commit, branch or tag/);
  });
});

describe('review command line', () => {
  test.each([
    [['review', '--head', 'x'], /option --base is required/],
    [['review', '--base', 'x', '--head'], /option --head needs a value/],
    [['review', '--base', 'x', '--head', 'y', '--colour', 'red'], /unknown argument '--colour'; expected one of --base, --head, --path, --out, --fail-on-violations/],
    [['deploy'], /unknown command 'deploy'; the only command is 'review'/],
  ])('rejects %j with a usage error', (argv, message) => {
    const result = runCliForTest(argv, fixtures);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('Usage: cdk8s-guardrails review');
  });

  test('exits 3 with --fail-on-violations when the head tree breaks a policy', () => {
    const failing = runCliForTest(['review', '--base', 'base', '--head', 'head', '--fail-on-violations'], fixtures);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toBe('cdk8s-guardrails review: 2 policy violations in head\n');
    expect(failing.stdout).toContain('## cdk8s-guardrails review');
    const clean = mkdtempSync(join(tmpdir(), 'review-clean-'));
    writeFileSync(join(clean, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    expect(runCliForTest(['review', '--base', clean, '--head', clean, '--fail-on-violations'], fixtures).code).toBe(0);
  });

  test('prints usage for --help', () => {
    expect(runCliForTest(['--help'], fixtures)).toMatchObject({ code: 0, stdout: expect.stringContaining('--base') });
  });

  test('reports a YAML syntax error with its file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'review-bad-'));
    writeFileSync(join(dir, 'bad.yaml'), 'kind: [unclosed\n');
    const result = runCliForTest(['review', '--base', dir, '--head', dir], fixtures);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot parse 'bad\.yaml'/);
  });
});

describe('targets that come and go', () => {
  test('a target only in head is new, one only in base is removed, each with its objects', () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: x}\n`;
    const base = parseManifests(cm('a'), 'old/cm.yaml', 'old');
    const head = parseManifests(cm('a'), 'new/cm.yaml', 'new');
    const report = renderReviewReport(base, head, { checks: [] });
    expect(report).toContain('- Targets: 2, 2 changed: `new`, `old`');
    expect(report).toContain('### Target `new` (new)');
    expect(report).toContain('### Target `old` (removed)');
    expect(report).toContain('The target is gone from head.');
    expect(report).toMatch(/\*\*Objects deleted\*\* \(1\)\n\n- `old`: `v1 ConfigMap x\/a`/);
  });
});

describe('risk lines of traffic', () => {
  test('call a CIDR or (anywhere) outside the cluster, and a workload in a hex-looking namespace not', () => {
    const risks = findRisks({
      target: '.', added: [], removed: [], changed: [], newFindings: [], addedFlows: [
        { from: 'cafe/12', to: 'shop/a', port: '8080/TCP' },
        { from: '10.0.0.0/8', to: 'shop/a', port: '8080/TCP' },
        { from: 'fd00::/8', to: 'shop/a', port: '8080/TCP' },
        { from: 'shop/a', to: '(anywhere)', port: 'any' },
      ],
    });
    expect(risks.map((r) => r.message.endsWith('(from outside the cluster)') || r.message.endsWith('(to outside the cluster)'))).toEqual([false, true, true, true]);
  });
});
