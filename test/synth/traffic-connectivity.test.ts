import fc from 'fast-check';
import { Connectivity } from '../../lib/network';
import { computeTraffic } from '../../lib/synth/review/network-flows';

const apps = ['a', 'b', 'c'];
const deployment = (name: string, ns: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
  spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'x:1', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }] } } },
});
const policyArb = fc.record({
  ns: fc.constantFrom('x', 'y'),
  target: fc.option(fc.constantFrom(...apps), { nil: undefined }),
  types: fc.subarray(['Ingress', 'Egress'], { minLength: 1 }),
  peerApp: fc.option(fc.constantFrom(...apps), { nil: undefined }),
  peerNs: fc.option(fc.constantFrom('x', 'y'), { nil: undefined }),
  port: fc.option(fc.constantFrom<any>({ port: 8080 }, { port: 'http' }, { port: 53, protocol: 'UDP' }, { port: 8000, endPort: 8100 }), { nil: undefined }),
}).map((p) => {
  const peer: any = {
    ...(p.peerApp !== undefined ? { podSelector: { matchLabels: { app: p.peerApp } } } : {}),
    ...(p.peerNs !== undefined ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': p.peerNs } } } : {}),
  };
  const rule = (side: 'from' | 'to') => ({ [side]: Object.keys(peer).length === 0 ? [] : [peer], ...(p.port !== undefined ? { ports: [p.port] } : {}) });
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'p', namespace: p.ns },
    spec: {
      podSelector: p.target === undefined ? {} : { matchLabels: { app: p.target } },
      policyTypes: p.types,
      ...(p.types.includes('Ingress') ? { ingress: [rule('from')] } : {}),
      ...(p.types.includes('Egress') ? { egress: [rule('to')] } : {}),
    },
  };
});

describe('the review traffic model is a view of Connectivity', () => {
  test('its flows on declared ports are exactly the flows Connectivity allows (property)', () => {
    fc.assert(fc.property(fc.array(policyArb, { maxLength: 4 }), (policies) => {
      const objects = [...apps.flatMap((a) => [deployment(a, 'x'), deployment(a, 'y')]), ...policies.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } }))];
      const declared = new Set(['8080/TCP', '53/UDP']);
      const review = computeTraffic(objects).flows.filter((f) => declared.has(f.port)).map((f) => `${f.from} -> ${f.to}:${f.port}`).sort();
      expect(review).toEqual(new Connectivity(objects).allowedFlows());
    }), { numRuns: 200 });
  });
});
