import { App, Chart, Testing } from 'cdk8s';
import { production } from '../../../apps/config/production';
import { CLOUDS } from '../../../apps/config/shop-config';
import { addCalicoClusterBaseline, addProductionNamespace, addUserServiceFlows } from '../../../apps/parts/network';
import { ShopStack } from '../../../apps/shop-stack';
import { Connectivity, ExtraPod, findUnselectedPods } from '../../../lib/network';
import { SecureDeployment } from '../../../lib/workload';

const KUBE_DNS: ExtraPod = {
  name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' },
  ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53 }],
};
const INTRUDER: ExtraPod = { name: 'intruder', namespace: 'other', labels: { app: 'frontend' } };
const INGRESS_CONTROLLER: ExtraPod = { name: 'controller', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' } };
const PROMETHEUS: ExtraPod = { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } };
/** Other pods of the controller's and Prometheus' namespaces: the flows the stack opens are for the controller and Prometheus only. */
const NEIGHBOURS: ExtraPod[] = [
  { name: 'default-backend', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/component': 'default-backend' } },
  { name: 'grafana', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'grafana' } },
];

/** The production shop as the bundled stack composes it: namespace, data services, flows. */
function productionShop() {
  return new ShopStack(Testing.app(), 'shop', { config: production, cloud: CLOUDS.aws });
}

function policy(manifests: any[], name: string) {
  return manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.name === name);
}

describe('the production shop with its namespace and flows', () => {
  const manifests = Testing.synth(productionShop());

  test('starts with the restricted namespace, then quota, limit range, default-deny and allow-dns', () => {
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

  test('reproduces the documented user-service policy field by field', () => {
    const np = policy(manifests, 'user-service-flows');
    expect(np.metadata).toEqual({ name: 'user-service-flows', namespace: 'production', labels: { app: 'user-service' } });
    expect(np.spec).toEqual({
      podSelector: { matchLabels: { app: 'user-service' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: INGRESS_CONTROLLER.labels } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: { matchLabels: PROMETHEUS.labels } }],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
        { from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
      ],
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

  test('writes the peer ends of the flows, once each', () => {
    const dns = {
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
    };
    expect(policy(manifests, 'frontend-flows').spec.egress).toEqual([dns, { to: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(policy(manifests, 'postgres-flows').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 5432, protocol: 'TCP' }] }]);
    expect(policy(manifests, 'redis-flows').spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { app: 'user-service' } } }], ports: [{ port: 6379, protocol: 'TCP' }] }]);
    // The data services reach nothing but DNS.
    expect(policy(manifests, 'postgres-flows').spec.egress).toEqual([dns]);
  });

  test('every pod is selected by a NetworkPolicy and the app synthesizes', () => {
    expect(findUnselectedPods(manifests)).toEqual([]);
    const shop = productionShop();
    expect(() => (shop.node.root as App).synthYaml()).not.toThrow();
  });

  describe('connectivity matrix', () => {
    const net = new Connectivity(manifests, { extraPods: [KUBE_DNS, INTRUDER, INGRESS_CONTROLLER, PROMETHEUS, ...NEIGHBOURS] });

    test('the ingress controller and Prometheus reach each service on http, and nothing else', () => {
      for (const svc of ['frontend', 'user-service', 'order-service', 'payment-service']) {
        expect({ svc, ingress: net.canReach('ingress-nginx/controller', svc, 8080), scrape: net.canReach('monitoring/prometheus', svc, 8080) })
          .toEqual({ svc, ingress: true, scrape: true });
      }
      expect(net.canReach('ingress-nginx/controller', 'user-service', 8081)).toBe(false);
      expect(net.canReach('ingress-nginx/default-backend', 'user-service', 8080)).toBe(false);
      expect(net.canReach('monitoring/grafana', 'user-service', 8080)).toBe(false);
      expect(net.canReach('ingress-nginx/controller', 'postgres', 5432)).toBe(false);
      expect(net.canReach('monitoring/prometheus', 'redis', 6379)).toBe(false);
    });

    test('the allowed flows between the shop pods are exactly the documented ones', () => {
      expect(net.allowedFlows().filter((f) => f.startsWith('production/') && !f.includes('kube-system/'))).toEqual([
        'production/frontend -> production/user-service:8080/TCP',
        'production/user-service -> production/postgres:5432/TCP',
        'production/user-service -> production/redis:6379/TCP',
      ]);
    });

    test('every shop pod may resolve names', () => {
      for (const pod of net.pods.filter((p) => p.namespace === 'production')) {
        expect({ pod: pod.id, udp: net.canReach(pod.id, 'kube-system/coredns', 53, 'UDP'), tcp: net.canReach(pod.id, 'kube-system/coredns', 53, 'TCP') })
          .toEqual({ pod: pod.id, udp: true, tcp: true });
      }
    });

    test.each([
      ['frontend', 'postgres', 5432],
      ['frontend', 'redis', 6379],
      ['frontend', 'user-service', 8081],
      ['order-service', 'user-service', 8080],
      ['payment-service', 'postgres', 5432],
      ['postgres', 'user-service', 8080],
      ['redis', 'postgres', 5432],
      ['user-service', 'frontend', 8080],
      ['other/intruder', 'user-service', 8080],
      ['kube-system/coredns', 'user-service', 8080],
    ])('denies %s -> %s:%d', (from, to, port) => {
      expect(net.canReach(from, to, port)).toBe(false);
    });

    test('denies egress to the internet', () => {
      expect(net.canReachAddress('user-service', '93.184.216.34', 443)).toBe(false);
      expect(net.canReachAddress('frontend', '93.184.216.34', 443)).toBe(false);
    });
  });

  test('without real peers, the user-service flows name the documented labels', () => {
    const shop = new Chart(Testing.app(), 'shop', { namespace: 'production' });
    addUserServiceFlows(new SecureDeployment(shop, 'user-service', { image: 'myregistry.com/user-service:v1.2.3' }));
    const np = policy(Testing.synth(shop), 'user-service-flows');
    expect(np.spec.egress.map((r: any) => r.to[0].podSelector.matchLabels)).toEqual([{ 'k8s-app': 'kube-dns' }, { app: 'postgres' }, { app: 'redis' }]);
    expect(policy(Testing.synth(shop), 'postgres-flows').spec.ingress[0].ports).toEqual([{ port: 5432, protocol: 'TCP' }]);
  });

  test('addProductionNamespace needs a namespace', () => {
    expect(() => addProductionNamespace(Testing.chart())).toThrow(/Chart 'test': has no namespace, so addProductionNamespace does not know which namespace to create/);
  });
});

describe('addCalicoClusterBaseline', () => {
  test('emits Installation, BGPConfiguration and the global default-deny', () => {
    const chart = new Chart(Testing.app(), 'cluster');
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
    const chart = new Chart(Testing.app(), 'cluster');
    addCalicoClusterBaseline(chart, { podSubnet: '192.168.0.0/16', asNumber: 65010, registry: 'registry.example.com/' });
    const [installation, bgp] = Testing.synth(chart);
    expect(installation.spec.calicoNetwork.ipPools[0].cidr).toBe('192.168.0.0/16');
    expect(installation.spec.registry).toBe('registry.example.com/');
    expect(bgp.spec.asNumber).toBe(65010);
  });

  test('refuses a namespaced chart', () => {
    expect(() => addCalicoClusterBaseline(new Chart(Testing.app(), 'apps', { namespace: 'production' }))).toThrow(/CalicoInstallation 'apps\/calico-installation': Installation is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart\./);
  });
});
