import fc from 'fast-check';
import { ANY_POD, ANYWHERE, computeTraffic, diffFields, expandFlows, selectorMatches } from './review-support';

const deployment = (name: string, ns: string, labels: Record<string, string>, ports: { name?: string; containerPort: number; protocol?: string }[] = [{ name: 'http', containerPort: 8080 }]) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'x:1', ports }] } } },
});
const policy = (name: string, ns: string, spec: any) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
const flows = (objects: any[]) => expandFlows(computeTraffic(objects)).map((f) => `${f.from} -> ${f.to} ${f.port}`).sort();

describe('NetworkPolicy evaluator of the review report', () => {
  const a = deployment('a', 'shop', { app: 'a' });
  const b = deployment('b', 'shop', { app: 'b' });
  const c = deployment('c', 'other', { app: 'c' });

  test('allows everything between pods no policy isolates', () => {
    expect(flows([a, b])).toEqual(['shop/a -> shop/b 8080/TCP', 'shop/b -> shop/a 8080/TCP']);
  });

  test('a policy without policyTypes isolates ingress only, unless it has an egress section', () => {
    const ingressOnly = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } } });
    expect(flows([a, b, ingressOnly])).toEqual(['shop/a -> shop/b 8080/TCP']);
    const withEgress = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{}], egress: [{ to: [{ podSelector: { matchLabels: { app: 'zzz' } } }] }] });
    expect(flows([a, b, withEgress])).toEqual(['shop/b -> shop/a 8080/TCP']);
    // An empty `egress: []` has no rules: the API server defaults policyTypes to Ingress only.
    const emptyEgress = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{}], egress: [] });
    expect(flows([a, b, emptyEgress])).toEqual(['shop/a -> shop/b 8080/TCP', 'shop/b -> shop/a 8080/TCP']);
  });

  test('needs both the egress of the source and the ingress of the destination', () => {
    const deny = policy('deny', 'shop', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const out = policy('out', 'shop', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }] }] });
    const into = policy('in', 'shop', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 'http' }] }] });
    expect(flows([a, b, deny, out])).toEqual([]);
    expect(flows([a, b, deny, into])).toEqual([]);
    expect(flows([a, b, deny, out, into])).toEqual(['shop/a -> shop/b 8080/TCP']);
  });

  test('a podSelector peer selects its own namespace; a namespaceSelector selects by namespace labels', () => {
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other', labels: { team: 'x' } } };
    const samePodSelector = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ podSelector: {} }] }] });
    expect(flows([a, c, samePodSelector]).filter((f) => f.endsWith('shop/a 8080/TCP'))).toEqual([]);
    const byNamespace = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }] }] });
    expect(flows([a, c, ns, byNamespace])).toContain('other/c -> shop/a 8080/TCP');
    expect(flows([a, c, byNamespace])).not.toContain('other/c -> shop/a 8080/TCP');
    const byName = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } }, podSelector: { matchLabels: { app: 'zzz' } } }] }] });
    expect(flows([a, c, byName])).not.toContain('other/c -> shop/a 8080/TCP');
  });

  test('matches port ranges, protocols and undeclared numeric ports', () => {
    const multi = deployment('m', 'shop', { app: 'm' }, [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 9000 }, { containerPort: 9005 }]);
    const p = policy('p', 'shop', { podSelector: { matchLabels: { app: 'm' } }, ingress: [{ ports: [{ port: 9000, endPort: 9003 }, { port: 53, protocol: 'UDP' }, { port: 7000 }] }] });
    expect(flows([a, multi, p]).filter((f) => f.startsWith('shop/a'))).toEqual(['shop/a -> shop/m 53/UDP', 'shop/a -> shop/m 7000/TCP', 'shop/a -> shop/m 9000/TCP']);
  });

  test('turns ipBlock peers into external endpoints', () => {
    const p = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
      egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }, { port: 30000, endPort: 32767 }] }] });
    const model = computeTraffic([a, p]);
    expect(model.externals).toEqual(['0.0.0.0/0', '10.0.0.0/8 except 10.1.0.0/16']);
    expect(flows([a, p])).toEqual(['10.0.0.0/8 except 10.1.0.0/16 -> shop/a 8080/TCP', 'shop/a -> 0.0.0.0/0 30000-32767/TCP', 'shop/a -> 0.0.0.0/0 443/TCP']);
  });

  test('label selectors follow matchExpressions semantics', () => {
    const labels = { app: 'a', tier: 'web' };
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, labels)).toBe(false);
  });

  test('an allow-all policy allows what no policy at all allows (property)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 4 }), (names) => {
      const objects = [...new Set(names)].map((n) => deployment(n, 'shop', { app: n }));
      const allowAll = policy('all', 'shop', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] });
      expect(flows([...objects, allowAll])).toEqual(flows(objects));
    }));
  });
});

describe('summarized flows (what keeps the model linear)', () => {
  const summary = (objects: any[]) => computeTraffic(objects).flows.map((f) => `${f.from} -> ${f.to} ${f.port}`);

  test('a destination that admits anything gets one flow from (anywhere), not one per workload', () => {
    const many = Array.from({ length: 30 }, (_, i) => deployment(`w${i}`, 'shop', { app: `w${i}` }));
    const model = computeTraffic(many);
    expect(model.flows).toHaveLength(60);
    expect(model.flows.every((f) => f.from === ANYWHERE || (f.to === ANYWHERE && f.port === 'any'))).toBe(true);
    expect(expandFlows(model)).toHaveLength(30 * 29);
  });

  test('a cluster-wide pod selector is (any pod); a rule without peers is (anywhere), both ways', () => {
    const a = deployment('a', 'shop', { app: 'a' });
    const anyPod = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ namespaceSelector: {} }] }], egress: [{ ports: [{ port: 443 }] }, { to: [{ namespaceSelector: {}, podSelector: {} }] }] });
    expect(summary([a, anyPod])).toEqual([`${ANY_POD} -> shop/a 8080/TCP`, `shop/a -> ${ANY_POD} any`, `shop/a -> ${ANYWHERE} 443/TCP`]);
  });
});

describe('field diff of the review report', () => {
  test('escapes pointer segments and orders paths', () => {
    const changes = diffFields({ metadata: { labels: { 'app.kubernetes.io/name': 'x', b: '1' } } }, { metadata: { labels: { 'app.kubernetes.io/name': 'y', 'a~b': '2' } } });
    expect(changes.map((c) => c.path)).toEqual(['/metadata/labels/app.kubernetes.io~1name', '/metadata/labels/a~0b', '/metadata/labels/b']);
  });

  test('masks only the data and stringData of Secrets', () => {
    expect(diffFields({ data: { k: 'a' } }, { data: { k: 'b' } }, 'Secret')[0].masked).toBe(true);
    expect(diffFields({}, { stringData: { k: 'b' } }, 'Secret')[0]).toMatchObject({ path: '/stringData', masked: true });
    expect(diffFields({ data: { k: 'a' } }, { data: { k: 'b' } }, 'ConfigMap')[0].masked).toBe(false);
  });

  test('finds no change between a value and its copy (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(diffFields(v, JSON.parse(JSON.stringify(v)))).toEqual([]);
    }));
  });
});

describe('open workloads', () => {
  test('lists workloads no policy isolates, per direction', () => {
    const a = deployment('a', 'shop', { app: 'a' });
    const b = deployment('b', 'shop', { app: 'b' });
    const ingressOnA = policy('p', 'shop', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Ingress'] });
    const model = computeTraffic([a, b, ingressOnA]);
    expect(model.openIngress).toEqual(['shop/b']);
    expect(model.openEgress).toEqual(['shop/a', 'shop/b']);
  });
});
