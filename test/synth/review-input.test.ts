// The review reads files as kubectl does, never prints Secret values, and fails clearly on
// folders it cannot read (issue 17's reproductions).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { parseManifests, runCliForTest } from './review-support';

let t: string;
beforeEach(() => { t = mkdtempSync(join(tmpdir(), 'review-input-')); });
afterEach(() => rmSync(t, { recursive: true, force: true }));

/** Writes `files` into base/ and head/ (base first) and reviews them. */
function review(base: Record<string, string>, head: Record<string, string>) {
  for (const [side, files] of [['base', base], ['head', head]] as const) {
    mkdirSync(join(t, side), { recursive: true });
    for (const [name, text] of Object.entries(files)) writeFileSync(join(t, side, name), text);
  }
  return runCliForTest(['review', '--base', 'base', '--head', 'head'], t);
}

const secretIn = (wrap: (secret: string) => string, value: string): string => wrap(`{apiVersion: v1, kind: Secret, metadata: {name: s, namespace: n}, data: {password: ${value}}}`);

describe('Secrets are masked however the file spells them', () => {
  const OLD = 'b2xkLXNlY3JldA==';
  const NEW = 'bmV3LXNlY3JldA==';
  test.each([
    ['inside kind: List', 'x.yaml', (s: string) => `apiVersion: v1\nkind: List\nitems:\n  - ${s}\n`],
    ['inside a nested List', 'x.yaml', (s: string) => `apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: SecretList, items: [${s}]}\n`],
    ['in a .json file', 'x.json', (s: string) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [loadYaml(s)] })],
  ])('a Secret %s', (_, file, wrap) => {
    const { code, stdout } = review({ [file]: secretIn(wrap, OLD) }, { [file]: secretIn(wrap, NEW) });
    expect(code).toBe(0);
    expect(stdout).toContain('| `/data/password` | `***` | `***` (changed) |');
    expect(stdout).not.toContain(OLD);
    expect(stdout).not.toContain(NEW);
  });

  test('a Secret whose kind comes from a YAML merge key', () => {
    const text = (v: string) => `base: &secret {apiVersion: v1, kind: Secret}\n---\n<<: {apiVersion: v1, kind: Secret}\nmetadata: {name: s}\ndata: {password: ${v}}\n`;
    const objects = parseManifests(`<<: {apiVersion: v1, kind: Secret}\nmetadata: {name: s}\ndata: {password: ${OLD}}\n`, 'm.yaml');
    expect(objects.map((o) => o.object.kind)).toEqual(['Secret']);
    const { code, stdout, stderr } = review({ 'm.yaml': text(OLD).split('---\n')[1] }, { 'm.yaml': text(NEW).split('---\n')[1] });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('<code>v1 Secret s</code>');
    expect(stdout).not.toContain(NEW);
  });

  test('a Secret whose kind is a !!binary tag', () => {
    const text = (v: string) => `apiVersion: v1\nkind: !!binary U2VjcmV0\nmetadata: {name: s}\ndata: {password: ${v}}\n`;
    expect(parseManifests(text(OLD), 'b.yaml')[0].object.kind).toBe('Secret');
    const { stdout } = review({ 'b.yaml': text(OLD) }, { 'b.yaml': text(NEW) });
    expect(stdout).toContain('| `/data/password` | `***` | `***` (changed) |');
    expect(stdout).not.toContain(NEW);
  });

  test("kubectl's last-applied copy of a Secret is masked too", () => {
    const text = (v: string) => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"${v}"}}'\n`;
    const { stdout } = review({ 'l.yaml': text(OLD) }, { 'l.yaml': text(NEW) });
    expect(stdout).toContain('(changed)');
    expect(stdout).not.toContain(NEW);
  });
});

describe('files are read as kubectl reads them', () => {
  test('YAML 1.1 scalars: yes/on are booleans, 0o17 is a string, 017 is octal, dates stay text', () => {
    const [o] = parseManifests('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: yes, b: on, c: 0o17, d: 017, e: 2001-12-14, f: 0x1f, g: "yes"}\n', 'c.yaml');
    expect(o.object.data).toEqual({ a: true, b: true, c: '0o17', d: 15, e: '2001-12-14', f: 31, g: 'yes' });
  });

  test('a document that is not an object with a kind is refused, with the file and document', () => {
    const { code, stderr } = review({ 'ok.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' }, { 'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\njust: data\n' });
    expect(code).toBe(1);
    expect(stderr).toBe("cdk8s-guardrails review: 'bad.yaml' (document 2) is not a Kubernetes object (no kind); kubectl would refuse it: fix or remove it\n");
  });

  test('an unknown tag is refused with its line', () => {
    const { code, stderr } = review({}, { 'tag.yaml': 'apiVersion: v1\nkind: !Mystery ConfigMap\n' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot parse 'tag\.yaml' \(line 2, column \d+\): unknown tag/);
  });
});

describe('folders that cannot be read fail clearly', () => {
  test('a missing folder outside a git repository', () => {
    const { code, stderr } = runCliForTest(['review', '--base', 'no-such-dir', '--head', 'no-such-dir'], t);
    expect(code).toBe(1);
    expect(stderr).toBe(`cdk8s-guardrails review: 'no-such-dir' is not a folder, and '${t}' is not inside a git repository, so it is not a git revision either; `
      + 'pass an existing folder of YAML files, or run in the repository to name a commit, branch or tag\n');
  });

  test('a symbolic link back to a folder being read', () => {
    mkdirSync(join(t, 'tree/sub'), { recursive: true });
    writeFileSync(join(t, 'tree/sub/c.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n');
    symlinkSync('..', join(t, 'tree/sub/up'));
    const { code, stderr } = runCliForTest(['review', '--base', 'tree', '--head', 'tree'], t);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^cdk8s-guardrails review: symbolic link loop: '.*tree\/sub\/up' leads back to '.*tree', a folder it is inside of; remove the link or point it elsewhere\n$/);
  });

  test('a symbolic link to itself', () => {
    mkdirSync(join(t, 'tree'));
    symlinkSync('self.yaml', join(t, 'tree/self.yaml'));
    const { code, stderr } = runCliForTest(['review', '--base', 'tree', '--head', 'tree'], t);
    expect(code).toBe(1);
    expect(stderr).toMatch(/cannot read the symbolic link '.*tree\/self\.yaml': it is a symbolic link loop/);
  });
});
