import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { ClusterSecretStore, ExternalSecret, findSecretLeaks, readManifests } from '../../lib';
import { kubeCheck } from '../support/kube-check';

const KNOWN = 'hunter2-Sup3r$ecret value';
const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n';

/** Leaks found in one file's text (read as kubectl reads it). */
function leaks(text: string, file = 'f.yaml', known: string[] = []): string[] {
  return findSecretLeaks(readManifests(text, file), known);
}

describe('the leak guard reads files as kubectl does (issue #17)', () => {
  // Each case: a file that carries a Secret with literal data and no opt-in.
  const cases: [string, string, string][] = [
    ['a Secret inside kind: List', 'l.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n  data:\n    k: dg==\n'],
    ['a Secret inside a nested SecretList', 'l.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: SecretList\n  items:\n  - kind: Secret\n    metadata: {name: s}\n    stringData: {k: v}\n'],
    ['a .json file', 's.json', JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'dg==' } })],
    ['a merge key <<: {kind: Secret}', 'm.yaml', 'apiVersion: v1\n<<: {kind: Secret}\nmetadata:\n  name: s\ndata:\n  k: dg==\n'],
    ['a merge key from an anchor', 'm.yaml', 'x: &s {kind: Secret}\n---\napiVersion: v1\n<<: &t {kind: Secret}\nmetadata: {name: s}\nstringData: {k: v}\n'],
    ['kind: !!binary U2VjcmV0', 'b.yaml', 'apiVersion: v1\nkind: !!binary U2VjcmV0\nmetadata:\n  name: s\ndata:\n  k: dg==\n'],
    ['kind: !!str Secret', 'b.yaml', 'apiVersion: v1\nkind: !!str Secret\nmetadata:\n  name: s\ndata:\n  k: dg==\n'],
    ['the opt-in annotation set to ""', 'o.yaml', `${SECRET}  annotations:\n    guardrails.cdk8s.io/plaintext-secret-reason: ""\ndata:\n  k: dg==\n`],
    ['the opt-in annotation set to blanks', 'o.yaml', `${SECRET}  annotations:\n    guardrails.cdk8s.io/plaintext-secret-reason: "  "\ndata:\n  k: dg==\n`],
  ];

  test.each(cases)('finds %s', (_, file, text) => {
    expect(leaks(text, file)).toEqual([expect.stringMatching(/^Secret 's' \(manifest #\d\) carries literal data without the 'guardrails.cdk8s.io\/plaintext-secret-reason' opt-in/)]);
  });

  test('reads the same kind as kubectl for the YAML tricks', () => {
    const yamlCases = cases.filter(([, file]) => file.endsWith('.yaml') && !file.startsWith('l') && !file.startsWith('m'));
    const mergeCase = cases.find(([name]) => name === 'a merge key <<: {kind: Secret}')!;
    const texts = [...yamlCases, mergeCase].map(([, , text]) => text);
    const kubectl = kubeCheck<{ json?: Record<string, any> }>('yaml', texts);
    expect(kubectl.map(k => k.json?.kind)).toEqual(texts.map(t => readManifests(t, 'f.yaml')[0].kind));
    expect(kubectl.map(k => k.json?.kind)).toEqual(texts.map(() => 'Secret'));
  });

  test('an empty opt-in no longer skips the known-value search', () => {
    const text = `${SECRET}  annotations:\n    guardrails.cdk8s.io/plaintext-secret-reason: ""\nstringData:\n  k: ${JSON.stringify(KNOWN)}\n`;
    expect(leaks(text, 'o.yaml', [KNOWN])).toEqual(expect.arrayContaining([expect.stringContaining('contains known secret value #0')]));
  });

  test('finds an ExternalSecret templateData literal, which needs no opt-in', () => {
    const text = 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: e\nspec:\n  target:\n    template:\n      data:\n        url: "{{ .url }}"\n        password: hunter2\n';
    expect(leaks(text)).toEqual([expect.stringContaining(`ExternalSecret 'e' (manifest #0) has the literal template value "password" (no '{{ }}' action)`)]);
  });

  const encodings: [string, string][] = [
    ['URL-encoded', encodeURIComponent(KNOWN)],
    ['URL-encoded with + for spaces', encodeURIComponent(KNOWN).replace(/%20/g, '+')],
    ['hex', Buffer.from(KNOWN).toString('hex')],
    ['upper-case hex', Buffer.from(KNOWN).toString('hex').toUpperCase()],
    ['line-wrapped base64', `|\n    ${Buffer.from(`prefix:${KNOWN}`).toString('base64').replace(/(.{10})/g, '$1\n    ')}`],
    ['URL-safe base64', Buffer.from(`??${KNOWN}`).toString('base64url')],
  ];
  test.each(encodings)('finds a known value %s', (_, spelled) => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  v: ${spelled}\n`;
    expect(leaks(text, 'c.yaml', [KNOWN])).toEqual([expect.stringContaining("ConfigMap 'c' (manifest #0) contains known secret value #0")]);
  });

  test('refuses what it cannot read: syntax errors, unknown tags, duplicate keys, non-objects, bad JSON', () => {
    expect(() => readManifests('kind: [Secret\n', 'a.yaml')).toThrow(/^a.yaml: document #0 cannot be read with certainty/);
    expect(() => readManifests('kind: !secret Secret\n', 'a.yaml')).toThrow(/a.yaml: document #0 cannot be read with certainty/);
    expect(() => readManifests('kind: Secret\nkind: ConfigMap\n', 'a.yaml')).toThrow(/cannot be read with certainty/);
    expect(() => readManifests('- kind: Secret\n', 'a.yaml')).toThrow("a.yaml: document #0 is a list, not a Kubernetes object; kubectl would refuse it too.");
    expect(() => readManifests('{"kind": "Secret",}', 'a.json')).toThrow(/^a.json: cannot be read as JSON/);
  });

  test('the script checks .json files and fails on a file it cannot read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leaks-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'j' }, data: { k: 'dg==' } }));
    writeFileSync(join(dir, 'b.yaml'), 'kind: !custom Secret\n');
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'check-secret-leaks.mjs'), dir], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/a\.json: Secret 'j' \(manifest #0\) carries literal data/);
    expect(r.stderr).toMatch(/b\.yaml: document #0 cannot be read with certainty/);
  });

  test('ExternalSecret refuses a literal templateData value', () => {
    const chart = Testing.chart();
    const store = ClusterSecretStore.fromName('vault');
    expect(() => new ExternalSecret(chart, 'e', { store, data: { K: 'k' }, templateData: { password: 'hunter2' } }))
      .toThrow("ExternalSecret 'test/e': template key 'password' holds a literal (no '{{ }}' action), which would be written into dist/ in plaintext: reference a fetched value by its data key, e.g. '{{ .password }}', or use a LiteralSecret with allowPlaintextInManifests: { reason }.");
  });
});
