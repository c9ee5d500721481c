import { Chart, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { RestrictedNamespace } from '../../lib/namespace';
import { Connectivity, WorkloadNetworkPolicy } from '../../lib/network';
import { selectorMatches } from '../../lib/network/label-selector';
import { FakeWorkload, documentedServices } from '../support/fake-workload';

const KUBE_DNS = { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] };

function deployment(
  name: string, namespace: string, labels: Record<string, string>, ports: { name?: string; containerPort: number; protocol?: string }[] = [],
) {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace },
    spec: { template: { metadata: { labels }, spec: { containers: [{ name: 'main', ports }] } } },
  };
}

function netpol(name: string, namespace: string, spec: Record<string, unknown>) {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

describe('Connectivity: Kubernetes NetworkPolicy semantics', () => {
  const a = deployment('a', 'x', { app: 'a' });
  const b = deployment('b', 'x', { app: 'b' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]);
  const c = deployment('c', 'y', { app: 'c' }, [{ name: 'http', containerPort: 9090 }]);

  test('without policies everything is allowed', () => {
    const net = new Connectivity([a, b, c]);
    expect(net.canReach('a', 'b', 8080)).toBe(true);
    expect(net.canReach('x/a', 'y/c', 1234)).toBe(true);
  });

  test('a policy without egress rules and no policyTypes isolates ingress only', () => {
    const net = new Connectivity([a, b, netpol('p', 'x', { podSelector: { matchLabels: { app: 'a' } } })]);
    expect(net.canReach('b', 'a', 80)).toBe(false);
    expect(net.canReach('a', 'b', 8080)).toBe(true);
  });

  test('an empty policyTypes or egress list takes the API server defaults', () => {
    const emptyTypes = new Connectivity([a, b, netpol('p', 'x', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: [], egress: [{ to: [{ podSelector: { matchLabels: { app: 'zzz' } } }] }] })]);
    expect(emptyTypes.isolatingPolicies('a', 'Ingress')).toHaveLength(1);
    expect(emptyTypes.canReach('a', 'b', 8080)).toBe(false);
    const emptyEgress = new Connectivity([a, b, netpol('p', 'x', { podSelector: { matchLabels: { app: 'a' } }, ingress: [{}], egress: [] })]);
    expect(emptyEgress.isolatingPolicies('a', 'Egress')).toEqual([]);
    expect(emptyEgress.canReach('a', 'b', 8080)).toBe(true);
  });

  test('isolatingPolicies lists the policies that select a pod for a direction', () => {
    const p = netpol('p', 'x', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Egress'] });
    const net = new Connectivity([a, b, p]);
    expect(net.isolatingPolicies('b', 'Egress').map((x) => x.name)).toEqual(['p']);
    expect(net.isolatingPolicies('b', 'Ingress')).toEqual([]);
    expect(net.isolatingPolicies('a', 'Egress')).toEqual([]);
  });

  test('canReachOnEveryPort needs rules that restrict no port on both sides', () => {
    expect(new Connectivity([a, b]).canReachOnEveryPort('a', 'b')).toBe(true);
    const portless = netpol('p', 'x', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }] });
    expect(new Connectivity([a, b, portless]).canReachOnEveryPort('a', 'b')).toBe(true);
    const ported = netpol('p', 'x', { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ ports: [{ protocol: 'TCP' }] }] });
    expect(new Connectivity([a, b, ported]).canReachOnEveryPort('a', 'b')).toBe(false);
    expect(new Connectivity([a, b, ported]).canReach('a', 'b', 8080)).toBe(true);
  });

  test('an unknown selector operator selects nothing', () => {
    const p = netpol('p', 'x', { podSelector: { matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, policyTypes: ['Ingress'] });
    expect(new Connectivity([a, b, p]).isolatingPolicies('b', 'Ingress')).toEqual([]);
    expect(selectorMatches({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, { app: 'a' })).toBe(false);
  });

  test('policyTypes Egress with no rules denies all egress', () => {
    const net = new Connectivity([a, b, netpol('p', 'x', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(net.canReach('a', 'b', 8080)).toBe(false);
    expect(net.canReachAddress('a', '1.1.1.1', 443)).toBe(false);
  });

  test('both egress of the source and ingress of the destination must allow', () => {
    const denyIngressB = netpol('deny-b', 'x', { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] });
    const allowEgressA = netpol('a-out', 'x', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{}] });
    expect(new Connectivity([a, b, denyIngressB, allowEgressA]).canReach('a', 'b', 8080)).toBe(false);
  });

  test('podSelector alone selects pods of the policy namespace only', () => {
    const policy = netpol('p', 'y', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }] }] });
    const other = deployment('a', 'y', { app: 'a' });
    const net = new Connectivity([a, c, other, policy]);
    expect(net.canReach('x/a', 'y/c', 9090)).toBe(false);
    expect(net.canReach('y/a', 'y/c', 9090)).toBe(true);
  });

  test('namespaceSelector and podSelector in one peer are ANDed; in two peers ORed', () => {
    const and = netpol('p', 'y', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } }, podSelector: { matchLabels: { app: 'b' } } }] }] });
    const or = netpol('p', 'y', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'web' } } }, { podSelector: { matchLabels: { app: 'b' } } }] }] });
    const namespaces = { x: { team: 'web' } };
    const withAnd = new Connectivity([a, b, c, and], { namespaces });
    expect(withAnd.canReach('b', 'c', 9090)).toBe(true);
    expect(withAnd.canReach('a', 'c', 9090)).toBe(false);
    const withOr = new Connectivity([a, b, c, or], { namespaces });
    expect(withOr.canReach('a', 'c', 9090)).toBe(true);
  });

  test('namespaces are selected by kubernetes.io/metadata.name even when undeclared', () => {
    const policy = netpol('p', 'y', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'x' } } }] }] });
    const net = new Connectivity([a, c, policy]);
    expect(net.canReach('a', 'c', 9090)).toBe(true);
  });

  test('ports match by protocol, number, endPort range and name on the destination', () => {
    const policy = netpol('p', 'x', {
      podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'],
      ingress: [{ ports: [{ port: 'http' }, { port: 53, protocol: 'UDP' }, { port: 9000, endPort: 9010 }] }],
    });
    const net = new Connectivity([a, b, policy]);
    expect(net.canReach('a', 'b', 8080)).toBe(true);
    expect(net.canReach('a', 'b', 'http')).toBe(true);
    expect(net.canReach('a', 'b', 53, 'UDP')).toBe(true);
    expect(net.canReach('a', 'b', 53, 'TCP')).toBe(false);
    expect(net.canReach('a', 'b', 9005)).toBe(true);
    expect(net.canReach('a', 'b', 9011)).toBe(false);
    expect(net.canReach('a', 'b', 8081)).toBe(false);
  });

  test('a named port in an egress rule resolves on the destination pod', () => {
    const policy = netpol('p', 'x', { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'http' }] }] });
    const net = new Connectivity([a, b, c, policy]);
    expect(net.canReach('a', 'b', 8080)).toBe(true);
    expect(net.canReach('a', 'c', 9090)).toBe(true);
    expect(net.canReach('a', 'c', 8080)).toBe(false);
  });

  test('ipBlock matches addresses minus except, never pods', () => {
    const policy = netpol('p', 'x', {
      podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }], ports: [{ port: 443 }] }],
    });
    const net = new Connectivity([a, b, policy]);
    expect(net.canReachAddress('a', '10.2.3.4', 443)).toBe(true);
    expect(net.canReachAddress('a', '10.1.3.4', 443)).toBe(false);
    expect(net.canReachAddress('a', '192.168.0.1', 443)).toBe(false);
    expect(net.canReachAddress('a', '10.2.3.4', 80)).toBe(false);
    expect(net.canReach('a', 'b', 443)).toBe(false);
  });

  test('objects without a namespace land in the default namespace', () => {
    const loose = deployment('d', undefined as unknown as string, { app: 'd' });
    const net = new Connectivity([loose]);
    expect(net.pods.map((p) => p.id)).toEqual(['default/d']);
  });

  test('unknown and ambiguous pods are errors for the test author', () => {
    const net = new Connectivity([a, b, deployment('a', 'z', { app: 'a' })]);
    expect(() => net.canReach('nobody', 'b', 80)).toThrow(/no pod "nobody" in the manifests; known pods: x\/a, x\/b, z\/a/);
    expect(() => net.canReach('a', 'b', 80)).toThrow(/pod name "a" is ambiguous: write one of x\/a, z\/a/);
    expect(() => net.canReach('x/a', 'b', 'grpc')).toThrow(/pod x\/b has no port named "grpc"/);
  });
});

describe('Connectivity of the documented services in a restricted namespace', () => {
  function shop() {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'production' });
    new RestrictedNamespace(chart, 'namespace', { name: 'production' });
    const s = documentedServices(chart);
    WorkloadNetworkPolicy.of(s.userService)
      .allowFrom(s.frontend, { port: 'http' })
      .allowTo(s.postgres, { port: 'postgres' })
      .allowTo(s.redis, { port: 'redis' })
      .allowToDns();
    return new Connectivity(Testing.synth(chart), { extraPods: [KUBE_DNS] });
  }

  test('allows exactly the documented flows (and DNS from every pod)', () => {
    expect(shop().allowedFlows()).toEqual([
      'production/frontend -> kube-system/coredns:53/TCP',
      'production/frontend -> kube-system/coredns:53/UDP',
      'production/frontend -> production/user-service:8080/TCP',
      'production/postgres -> kube-system/coredns:53/TCP',
      'production/postgres -> kube-system/coredns:53/UDP',
      'production/redis -> kube-system/coredns:53/TCP',
      'production/redis -> kube-system/coredns:53/UDP',
      'production/user-service -> kube-system/coredns:53/TCP',
      'production/user-service -> kube-system/coredns:53/UDP',
      'production/user-service -> production/postgres:5432/TCP',
      'production/user-service -> production/redis:6379/TCP',
    ]);
  });

  test.each([
    ['frontend', 'postgres', 5432],
    ['frontend', 'redis', 6379],
    ['frontend', 'user-service', 8081],
    ['postgres', 'user-service', 8080],
    ['redis', 'postgres', 5432],
    ['user-service', 'frontend', 8080],
  ])('denies %s -> %s:%d', (from, to, port) => {
    expect(shop().canReach(from, to, port)).toBe(false);
  });

  test('denies egress to the internet', () => {
    expect(shop().canReachAddress('user-service', '93.184.216.34', 443)).toBe(false);
  });

  test('property: the allowed pod-to-pod flows are exactly the declared ones', () => {
    const names = ['w0', 'w1', 'w2', 'w3'];
    const flow = fc.record({ from: fc.constantFrom(...names), to: fc.constantFrom(...names), port: fc.constantFrom('http', 'grpc'), ingressSide: fc.boolean() });
    fc.assert(fc.property(fc.array(flow, { maxLength: 8 }), (flows) => {
      const chart = new Chart(Testing.app(), 'c', { namespace: 'p' });
      new RestrictedNamespace(chart, 'ns', { name: 'p', allowDns: false });
      const workloads = Object.fromEntries(names.map((n) => [n, new FakeWorkload(chart, n, { ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 9090 }] })]));
      const expected = new Set<string>();
      for (const f of flows) {
        if (f.ingressSide) WorkloadNetworkPolicy.of(workloads[f.to]).allowFrom(workloads[f.from], { port: f.port });
        else WorkloadNetworkPolicy.of(workloads[f.from]).allowTo(workloads[f.to], { port: f.port });
        if (f.from !== f.to) expected.add(`p/${f.from} -> p/${f.to}:${f.port === 'http' ? 8080 : 9090}/TCP`);
      }
      expect(new Connectivity(Testing.synth(chart)).allowedFlows()).toEqual([...expected].sort());
    }), { numRuns: 40 });
  });
});
