// The review of multi-target trees, on the bundled dist/ (copied into a temp folder and edited
// there, so the tests hold whatever the committed dist/ contains).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCliForTest } from './review-support';

const dist = resolve(__dirname, '../../dist');

/** The first manifest file below `dir` whose text matches `pattern`. */
function firstFileWith(dir: string, pattern: RegExp): string {
  const file = readdirSync(dir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml').sort().find((f) => pattern.test(readFileSync(join(dir, f), 'utf8')));
  if (file === undefined) throw new Error(`no file in ${dir} matches ${pattern}`);
  return join(dir, file);
}

/** Replaces the first match of `pattern` in `file`, as `sed 0,/re/s//x/` does. */
function editFirst(file: string, pattern: RegExp, replacement: string): void {
  writeFileSync(file, readFileSync(file, 'utf8').replace(pattern, replacement));
}

describe('review of the bundled dist/ (several targets)', () => {
  let t: string;
  beforeEach(() => {
    t = mkdtempSync(join(tmpdir(), 'review-dist-'));
    cpSync(dist, join(t, 'base'), { recursive: true });
    cpSync(dist, join(t, 'head'), { recursive: true });
  });
  afterEach(() => rmSync(t, { recursive: true, force: true }));

  test('the reproduction of the issue: a change in one cloud only is reported, under that target', () => {
    // GIVEN the edit: the first `replicas:` of aws/production set to 17
    const file = firstFileWith(join(t, 'head/aws/production'), /replicas: [0-9]+/);
    const before = /replicas: ([0-9]+)/.exec(readFileSync(file, 'utf8'))![1];
    editFirst(file, /replicas: [0-9]+/, 'replicas: 17');
    // WHEN reviewing base → head
    const { code, stdout, stderr } = runCliForTest(['review', '--base', 'base', '--head', 'head'], t);
    // THEN one change, in target aws/production, with its field; no other target changed
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/- Targets: \d+, 1 changed: `aws\/production`\n/);
    expect(stdout).toContain('- Objects: 0 added, 0 removed, 1 changed');
    expect(stdout).toMatch(new RegExp(`\\| \`/spec/replicas\` \\| \`${before}\` \\| \`17\` \\|`));
    expect(stdout).toMatch(/### Target `aws\/production`/);
    expect(stdout).not.toMatch(/### Target `alibaba/);
    expect(stdout).toMatch(/\*\*Replicas or resources changed\*\* \(1\)\n\n- `aws\/production`: .*`\/spec\/replicas` `\d+` → `17` \(\[diff\]\(#review-aws-production-/);
    expect(stdout).not.toContain('defined more than once');
  });

  test('Mermaid node ids are unique per target and workload, and each edge joins nodes of its own graph', () => {
    // GIVEN one change in each cloud's production target
    for (const cloud of ['aws', 'alibaba']) editFirst(firstFileWith(join(t, `head/${cloud}/production`), /replicas: [0-9]+/), /replicas: [0-9]+/, 'replicas: 17');
    const { code, stdout } = runCliForTest(['review', '--base', 'base', '--head', 'head'], t);
    expect(code).toBe(0);
    const graphs = [...stdout.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(graphs).toHaveLength(2);
    const seen = new Map<string, string>();
    for (const graph of graphs) {
      const defined = new Set<string>();
      for (const [, id, label] of graph.matchAll(/^ +(\w+)(?:\["|\(\[")([^"]*)"/gm)) {
        expect(seen.has(id)).toBe(false);
        seen.set(id, label);
        defined.add(id);
      }
      for (const [, from, to] of graph.matchAll(/^ {2}(\w+) (?:-->|==>)\|"[^"]*"\| (\w+)$/gm)) {
        expect(defined.has(from) && defined.has(to)).toBe(true);
      }
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  test('a workload renamed to a number is drawn, not a crash (a seed of the edit property test found it)', () => {
    // GIVEN the first Deployment of aws/production renamed to 42 (YAML reads it back as a number)
    const file = firstFileWith(join(t, 'head/aws/production'), /kind: Deployment/);
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('kind: Deployment');
    const name = /\n  name: ([^\n]+)/.exec(text.slice(start))!;
    writeFileSync(file, text.slice(0, start) + text.slice(start).replace(name[0], '\n  name: 42'));
    // WHEN reviewing base → head
    const { code, stdout, stderr } = runCliForTest(['review', '--base', 'base', '--head', 'head'], t);
    // THEN the report is written and the renamed workload is a node of the graph
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\["42"\]/);
  });

  test('an object defined twice in one target is an error naming both files (exit 1)', () => {
    const file = firstFileWith(join(t, 'head/aws/production'), /kind: Deployment/);
    cpSync(file, join(t, 'head/aws/production/copy.k8s.yaml'));
    const { code, stdout, stderr } = runCliForTest(['review', '--base', 'base', '--head', 'head'], t);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^cdk8s-guardrails review: \S+ \S+ \S+ is defined twice in target 'aws\/production' of head: in '[^']+' \(document \d+\) and in '[^']+' \(document \d+\); a target must define each object once/);
    expect(stderr).toContain(`'aws/production/${file.split('/').pop()}'`);
    expect(stderr).toContain("'aws/production/copy.k8s.yaml'");
  });

  test('the same objects in two targets are no duplicate, and an unchanged tree has nothing to review first', () => {
    const { code, stdout } = runCliForTest(['review', '--base', 'base', '--head', 'head'], t);
    expect(code).toBe(0);
    expect(stdout).toMatch(/- Targets: \d+, 0 changed\n/);
    expect(stdout).toContain('Nothing to look at first');
    const targets = readdirSync(join(t, 'head')).flatMap((cloud) => readdirSync(join(t, 'head', cloud)).filter((env) => existsSync(join(t, 'head', cloud, env, 'kustomization.yaml'))).map((env) => `${cloud}/${env}`));
    for (const target of targets) expect(stdout).toContain(`- \`${target}\`: `);
  });
});
