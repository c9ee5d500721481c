import fc from 'fast-check';
import { expandFlows } from './review-support';
import { Connectivity } from '../../lib/network';
import { ANY_POD, ANYWHERE, computeTraffic } from '../../lib/synth/review/network-flows';
import { diffTraffic } from '../../lib/synth/review/traffic-diagram';
import { ARBITRARY_APPS, arbitraryDeployment, networkPolicyArbitrary } from '../support/network-policy-arbitrary';

const apps = ARBITRARY_APPS;
const deployment = (name: string, ns: string) => arbitraryDeployment(name, ns, { containerPort: 53, protocol: 'UDP' });
const policyArb = networkPolicyArbitrary({ ports: [{ port: 8080 }, { port: 'http' }, { port: 53, protocol: 'UDP' }, { port: 8000, endPort: 8100 }], ipBlocks: false });

describe('the review traffic model is a view of Connectivity', () => {
  test('its flows on declared ports, summaries expanded, are exactly the flows Connectivity allows (property)', () => {
    fc.assert(fc.property(fc.array(policyArb, { maxLength: 4 }), (policies) => {
      const objects = [...apps.flatMap((a) => [deployment(a, 'x'), deployment(a, 'y')]), ...policies.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } }))];
      const declared = new Set(['8080/TCP', '53/UDP']);
      const review = expandFlows(computeTraffic(objects)).filter((f) => declared.has(f.port)).map((f) => `${f.from} -> ${f.to}:${f.port}`).sort();
      expect(review).toEqual(new Connectivity(objects).allowedFlows());
    }), { numRuns: 200 });
  });
});

describe('the review traffic diff explains every newly allowed connection', () => {
  test('each connection Connectivity allows in head and not in base has a newly allowed flow from its source or to its destination (property)', () => {
    const tree = (policies: any[]) => [...apps.flatMap((a) => [deployment(a, 'x'), deployment(a, 'y')]), ...policies.map((p, i) => ({ ...p, metadata: { ...p.metadata, name: `p${i}` } }))];
    fc.assert(fc.property(fc.array(policyArb, { maxLength: 4 }), fc.array(policyArb, { maxLength: 4 }), (basePolicies, headPolicies) => {
      const base = tree(basePolicies);
      const head = tree(headPolicies);
      const before = new Set(new Connectivity(base).allowedFlows());
      const added = diffTraffic(computeTraffic(base), computeTraffic(head)).added;
      for (const flow of new Connectivity(head).allowedFlows().filter((f) => !before.has(f))) {
        const [, from, to, port] = /^(\S+) -> (\S+):(\S+)$/.exec(flow)!;
        const explained = added.some((f) => (f.from === from && f.to === to && f.port === port)
          || (f.to === to && (f.from === ANYWHERE || f.from === ANY_POD))
          || (f.from === from && (f.to === ANYWHERE || f.to === ANY_POD)));
        expect({ flow, explained }).toEqual({ flow, explained: true });
      }
    }), { numRuns: 200 });
  });
});
