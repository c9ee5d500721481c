import { App, Chart, Testing } from 'cdk8s';
import { production } from '../../../apps/config/production';
import { addCalicoClusterBaseline, addProductionNamespace, addUserServiceFlows } from '../../../apps/parts/network';
import { UserServiceStack } from '../../../apps/user-service-stack';
import { Connectivity, ExtraPod, findUnselectedPods } from '../../../lib/network';

const PEERS: ExtraPod[] = [
  { name: 'frontend', namespace: 'production', labels: { app: 'frontend' }, ports: [{ name: 'http', containerPort: 3000 }] },
  { name: 'postgres', namespace: 'production', labels: { app: 'postgres' }, ports: [{ name: 'postgres', containerPort: 5432 }] },
  { name: 'redis', namespace: 'production', labels: { app: 'redis' }, ports: [{ name: 'redis', containerPort: 6379 }] },
  { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }] },
  { name: 'intruder', namespace: 'other', labels: { app: 'frontend' } },
];

function productionStack() {
  const stack = new UserServiceStack(Testing.app(), 'user-service-production', production);
  addProductionNamespace(stack);
  addUserServiceFlows(stack.userService);
  return stack;
}

function policy(manifests: any[], name: string) {
  return manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name);
}

describe('addProductionNamespace + addUserServiceFlows on the user-service stack', () => {
  test('adds the restricted namespace, quota, limit range, default-deny and allow-dns', () => {
    const manifests = Testing.synth(productionStack());
    const ns = manifests[0];
    expect(ns.kind).toBe('Namespace');
    expect(ns.metadata.name).toBe('production');
    expect(ns.metadata.namespace).toBeUndefined();
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(manifests.find((m) => m.kind === 'ResourceQuota').metadata.name).toBe('production-quota');
    expect(manifests.find((m) => m.kind === 'LimitRange').metadata.name).toBe('production-limits');
    expect(policy(manifests, 'default-deny-all').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(policy(manifests, 'allow-dns').spec.policyTypes).toEqual(['Egress']);
  });

  test('reproduces the documented user-service policy', () => {
    const np = policy(Testing.synth(productionStack()), 'user-service-flows');
    expect(np.metadata.namespace).toBe('production');
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { app: 'user-service' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
        },
        { to: [{ podSelector: { matchLabels: { app: 'postgres' } } }], ports: [{ port: 5432, protocol: 'TCP' }] },
        { to: [{ podSelector: { matchLabels: { app: 'redis' } } }], ports: [{ port: 6379, protocol: 'TCP' }] },
      ],
    });
  });

  test('writes the peer ends of the flows', () => {
    const manifests = Testing.synth(productionStack());
    expect(policy(manifests, 'frontend-flows').spec.egress).toEqual([{ to: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy(manifests, 'postgres-flows').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(policy(manifests, 'redis-flows').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }]);
  });

  test('every pod is selected by a NetworkPolicy and the chart synthesizes', () => {
    const stack = productionStack();
    expect(findUnselectedPods(Testing.synth(stack))).toEqual([]);
    expect(() => (stack.node.root as App).synthYaml()).not.toThrow();
  });

  describe('connectivity matrix', () => {
    const net = () => new Connectivity(Testing.synth(productionStack()), { extraPods: PEERS });

    test.each([
      ['frontend', 'user-service', 8080, 'TCP'],
      ['user-service', 'postgres', 5432, 'TCP'],
      ['user-service', 'redis', 6379, 'TCP'],
      ['user-service', 'coredns', 53, 'UDP'],
      ['user-service', 'coredns', 53, 'TCP'],
      ['postgres', 'coredns', 53, 'UDP'],
    ])('allows %s -> %s:%d/%s', (from, to, port, protocol) => {
      expect(net().canReach(from, to, port, protocol)).toBe(true);
    });

    test.each([
      ['frontend', 'postgres', 5432],
      ['frontend', 'redis', 6379],
      ['frontend', 'user-service', 8081],
      ['postgres', 'user-service', 8080],
      ['redis', 'user-service', 8080],
      ['user-service', 'frontend', 3000],
      ['other/intruder', 'user-service', 8080],
      ['coredns', 'user-service', 8080],
    ])('denies %s -> %s:%d', (from, to, port) => {
      expect(net().canReach(from, to, port)).toBe(false);
    });

    test('denies user-service egress to the internet', () => {
      expect(net().canReachAddress('user-service', '93.184.216.34', 443)).toBe(false);
    });

    test('the allowed flows into and out of production are exactly the documented ones', () => {
      const flows = net().allowedFlows().filter((f) => f.includes('production/') && !f.startsWith('other/'));
      expect(flows).toEqual([
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
  });

  test('addProductionNamespace needs a namespace', () => {
    expect(() => addProductionNamespace(Testing.chart())).toThrow(/Chart 'test': has no namespace, so addProductionNamespace does not know which namespace to create/);
  });
});

describe('addCalicoClusterBaseline', () => {
  test('emits Installation, BGPConfiguration and the global default-deny', () => {
    const chart = new Chart(Testing.app(), 'cluster-baseline');
    addCalicoClusterBaseline(chart);
    const manifests = Testing.synth(chart);
    expect(manifests.map((m) => `${m.apiVersion} ${m.kind} ${m.metadata.name}`)).toEqual([
      'operator.tigera.io/v1 Installation default',
      'projectcalico.org/v3 BGPConfiguration default',
      'projectcalico.org/v3 GlobalNetworkPolicy default-deny',
    ]);
    expect(manifests[0].spec.calicoNetwork).toEqual({
      bgp: 'Enabled',
      ipPools: [{ name: 'default-ipv4-ippool', cidr: '10.244.0.0/16', blockSize: 26, encapsulation: 'VXLANCrossSubnet', natOutgoing: 'Enabled', nodeSelector: 'all()' }],
      nodeAddressAutodetectionV4: { kubernetes: 'NodeInternalIP' },
    });
    expect(manifests[1].spec).toEqual({ asNumber: 64512, nodeToNodeMeshEnabled: true, logSeverityScreen: 'Info' });
    expect(manifests[2].spec.selector).toBe('all()');
    expect(manifests[2].spec.types).toEqual(['Ingress', 'Egress']);
  });

  test('takes the pod subnet, AS number and registry', () => {
    const chart = new Chart(Testing.app(), 'cluster-baseline');
    addCalicoClusterBaseline(chart, { podSubnet: '192.168.0.0/16', asNumber: 65010, registry: 'registry.example.com/' });
    const [installation, bgp] = Testing.synth(chart);
    expect(installation.spec.calicoNetwork.ipPools[0].cidr).toBe('192.168.0.0/16');
    expect(installation.spec.registry).toBe('registry.example.com/');
    expect(bgp.spec.asNumber).toBe(65010);
  });

  test('refuses a namespaced chart', () => {
    expect(() => addCalicoClusterBaseline(new Chart(Testing.app(), 'apps', { namespace: 'production' }))).toThrow(/Installation is cluster-scoped but its chart sets namespace 'production'/);
  });
});
