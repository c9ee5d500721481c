import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { computeTraffic, readManifestTreeFromDir, renderReviewReport } from './review-support';
import { diffTraffic, renderTrafficDiagram } from '../../lib/synth/review/traffic-diagram';
import { ARBITRARY_APPS, arbitraryDeployment, networkPolicyArbitrary } from '../support/network-policy-arbitrary';

const fixtures = resolve(__dirname, '../fixtures/review');
const apps = ARBITRARY_APPS;
const deployment = (name: string, ns: string) => arbitraryDeployment(name, ns, { containerPort: 9090 });
/** Random NetworkPolicies over apps a, b, c in namespaces x and y. */
const policyArb = networkPolicyArbitrary({ ports: [{ port: 8080 }, { port: 9090 }, { port: 'http' }, { port: 443 }], ipBlocks: true });
const treeArb = fc.array(policyArb, { maxLength: 4 }).map((policies) => [
  ...apps.flatMap((a) => [deployment(a, 'x'), deployment(a, 'y')]),
  ...policies.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } })),
]);

describe('review traffic diagram (properties)', () => {
  test('every edge joins declared nodes and every highlighted index is an edge', () => {
    fc.assert(fc.property(treeArb, treeArb, (baseObjects, headObjects) => {
      const head = computeTraffic(headObjects);
      const diagram = renderTrafficDiagram(head, diffTraffic(computeTraffic(baseObjects), head));
      const lines = diagram.split('\n');
      const nodes = new Set(lines.flatMap((l) => /^\s+(w\d+|x\d+)[[(]/.exec(l)?.slice(1) ?? []));
      const edges = lines.filter((l) => /(-->|==>)/.test(l));
      for (const e of edges) {
        const m = /^ {2}(\S+) (-->|==>)\|"[^"]+"\| (\S+)$/.exec(e);
        expect(m).not.toBeNull();
        expect(nodes.has(m![1]) && nodes.has(m![3])).toBe(true);
      }
      const style = lines.find((l) => l.includes('linkStyle'));
      const highlighted = style === undefined ? [] : /linkStyle ([\d,]+) /.exec(style)![1].split(',').map(Number);
      expect(highlighted).toEqual(edges.flatMap((e, i) => (e.includes('==>') ? [i] : [])));
    }), { numRuns: 150 });
  });

  test('under default-deny everywhere, adding a policy only ever adds flows', () => {
    const denyAll = ['x', 'y'].map((ns) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }));
    fc.assert(fc.property(treeArb, policyArb, (objects, extra) => {
      const before = computeTraffic([...objects, ...denyAll]).flows.map((f) => `${f.from}>${f.to}>${f.port}`);
      const after = new Set(computeTraffic([...objects, ...denyAll, { ...extra, metadata: { name: 'extra', namespace: extra.metadata.namespace } }]).flows.map((f) => `${f.from}>${f.to}>${f.port}`));
      for (const f of before) expect(after.has(f)).toBe(true);
    }), { numRuns: 100 });
  });

  test('default-deny everywhere allows no flow between workloads', () => {
    const objects = [...apps.map((a) => deployment(a, 'x')), { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'x' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } }];
    expect(computeTraffic(objects).flows).toEqual([]);
  });
});

describe('review report (properties)', () => {
  test('does not depend on the order of objects in the trees', () => {
    const base = readManifestTreeFromDir(join(fixtures, 'base'));
    const head = readManifestTreeFromDir(join(fixtures, 'head'));
    const expected = renderReviewReport(base, head);
    fc.assert(fc.property(fc.shuffledSubarray(base, { minLength: base.length }), fc.shuffledSubarray(head, { minLength: head.length }), (b, h) => {
      expect(renderReviewReport(b, h)).toBe(expected);
    }), { numRuns: 30 });
  });
});
