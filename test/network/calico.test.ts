import { App, Chart, Testing } from 'cdk8s';
import {
  CalicoBgpConfiguration, CalicoDefaultDeny, CalicoInstallation, CalicoIpPool,
} from '../../lib/network';
import { excludedNamespacesSelector } from '../../lib/network/calico-default-deny';

function cluster() {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'cluster') };
}

const DNS_RULES = [
  { action: 'Allow', protocol: 'UDP', destination: { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"', ports: [53] } },
  { action: 'Allow', protocol: 'TCP', destination: { selector: 'k8s-app == "kube-dns"', namespaceSelector: 'projectcalico.org/name == "kube-system"', ports: [53] } },
];

describe('CalicoDefaultDeny', () => {
  test('cluster-wide: a GlobalNetworkPolicy on all() sparing the system namespaces, DNS allowed', () => {
    const { chart } = cluster();
    new CalicoDefaultDeny(chart, 'deny');
    const [policy] = Testing.synth(chart);
    expect(policy).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'GlobalNetworkPolicy',
      metadata: { name: 'default-deny' },
      spec: {
        selector: 'all()',
        namespaceSelector: 'has(projectcalico.org/name) && projectcalico.org/name not in {"calico-apiserver", "calico-system", "kube-system", "tigera-operator"}',
        types: ['Ingress', 'Egress'],
        egress: DNS_RULES,
      },
    });
  });

  test('namespaced: a NetworkPolicy on all() in that namespace', () => {
    const chart = Testing.chart();
    new CalicoDefaultDeny(chart, 'deny', { namespace: 'production' });
    const [policy] = Testing.synth(chart);
    expect(policy).toEqual({
      apiVersion: 'projectcalico.org/v3',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'production' },
      spec: { selector: 'all()', types: ['Ingress', 'Egress'], egress: DNS_RULES },
    });
  });

  test('allowDns: false leaves no rule at all', () => {
    const { chart } = cluster();
    new CalicoDefaultDeny(chart, 'deny', { allowDns: false, excludedNamespaces: ['kube-system', 'monitoring'], name: 'deny-all' });
    const [policy] = Testing.synth(chart);
    expect(policy.metadata.name).toBe('deny-all');
    expect(policy.spec.egress).toBeUndefined();
    expect(policy.spec.namespaceSelector).toBe('has(projectcalico.org/name) && projectcalico.org/name not in {"kube-system", "monitoring"}');
  });

  test('the selector of no excluded namespace still requires a namespace', () => {
    expect(excludedNamespacesSelector([])).toBe('has(projectcalico.org/name)');
  });

  describe('errors', () => {
    test('a cluster-wide policy without kube-system excluded while DNS is allowed', () => {
      const { chart } = cluster();
      expect(() => new CalicoDefaultDeny(chart, 'deny', { excludedNamespaces: ['calico-system'] })).toThrow(
        "CalicoDefaultDeny 'cluster/deny': excludedNamespaces [\"calico-system\"] leaves out 'kube-system': the default-deny would cut cluster DNS off for every pod; keep 'kube-system' in the list.",
      );
    });
    test('excludedNamespaces with a namespace', () => {
      const { chart } = cluster();
      expect(() => new CalicoDefaultDeny(chart, 'deny', { namespace: 'a', excludedNamespaces: ['b'] })).toThrow(/excludedNamespaces \["b"\] only applies to the cluster-wide policy/);
    });
    test('bad names', () => {
      const { chart } = cluster();
      expect(() => new CalicoDefaultDeny(chart, 'a', { namespace: 'Prod' })).toThrow(/namespace 'Prod' is not a valid DNS-1123 label/);
      expect(() => new CalicoDefaultDeny(chart, 'b', { name: 'Deny' })).toThrow(/name 'Deny' is not a valid DNS-1123 subdomain/);
      expect(() => new CalicoDefaultDeny(chart, 'c', { excludedNamespaces: ['kube-system', 'Bad'] })).toThrow(/excludedNamespaces entry 'Bad' is not a valid DNS-1123 label/);
    });
    test('a cluster-wide policy in a namespaced chart', () => {
      const chart = Testing.chart();
      const namespaced = new Chart(Testing.app(), 'apps', { namespace: 'production' });
      expect(() => new CalicoDefaultDeny(namespaced, 'deny')).toThrow(
        "CalicoDefaultDeny 'apps/deny': GlobalNetworkPolicy is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart.",
      );
      expect(chart).toBeDefined();
    });
  });
});

describe('CalicoIpPool', () => {
  test('emits an IPPool with explicit defaults', () => {
    const { chart } = cluster();
    new CalicoIpPool(chart, 'pods-a', { cidr: '10.244.0.0/16' });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'projectcalico.org/v3',
      kind: 'IPPool',
      metadata: { name: 'pods-a' },
      spec: { cidr: '10.244.0.0/16', blockSize: 26, ipipMode: 'Never', vxlanMode: 'Never', natOutgoing: true, nodeSelector: 'all()', disabled: false },
    }]);
  });

  test('takes every field', () => {
    const { chart } = cluster();
    new CalicoIpPool(chart, 'p', { name: 'zone-a', cidr: 'fd00:10::/108', blockSize: 120, vxlanMode: 'CrossSubnet', natOutgoing: false, nodeSelector: 'zone == "a"', disabled: true });
    expect(Testing.synth(chart)[0].spec).toEqual({
      cidr: 'fd00:10::/108', blockSize: 120, ipipMode: 'Never', vxlanMode: 'CrossSubnet', natOutgoing: false, nodeSelector: 'zone == "a"', disabled: true,
    });
  });

  test('the IPv6 default block size is 122', () => {
    const { chart } = cluster();
    expect(new CalicoIpPool(chart, 'p', { cidr: 'fd00::/64' }).blockSize).toBe(122);
  });

  describe('errors', () => {
    test.each([
      [{ cidr: '10.244.0.0' }, /IPPool cidr '10.244.0.0' is not a valid CIDR block/],
      [{ cidr: '10.244.1.0/16' }, /IPPool cidr '10.244.1.0\/16' has host bits set: write the network address of the block, '10.244.0.0\/16'/],
      [{ cidr: '169.254.0.0/20' }, /overlaps the link-local range '169.254.0.0\/16', which Calico refuses/],
      [{ cidr: 'fe80::/64' }, /overlaps the link-local range 'fe80::\/10'/],
      [{ cidr: '10.0.0.0/16', blockSize: 19 }, /IPPool blockSize 19 is outside what Calico accepts for IPv4 pools: use a whole number from 20 to 32 \(default 26\)/],
      [{ cidr: '10.0.0.0/16', blockSize: 33 }, /blockSize 33 is outside what Calico accepts for IPv4 pools/],
      [{ cidr: 'fd00::/64', blockSize: 115 }, /blockSize 115 is outside what Calico accepts for IPv6 pools: use a whole number from 116 to 128 \(default 122\)/],
      [{ cidr: '10.0.0.0/28' }, /cidr '10.0.0.0\/28' is smaller than one block of \/26/],
      [{ cidr: '10.0.0.0/16', ipipMode: 'Always', vxlanMode: 'Always' }, /ipipMode 'Always' and vxlanMode 'Always' are both enabled, which Calico refuses/],
      [{ cidr: 'fd00::/64', ipipMode: 'CrossSubnet' }, /ipipMode 'CrossSubnet' is set on the IPv6 pool 'fd00::\/64', but IP-in-IP only carries IPv4/],
      [{ cidr: '10.0.0.0/16', vxlanMode: 'Sometimes' }, /vxlanMode 'Sometimes' is not a mode Calico accepts: use one of 'Always', 'CrossSubnet', 'Never'/],
      [{ cidr: '10.0.0.0/16', nodeSelector: ' ' }, /nodeSelector is empty/],
      [{ cidr: '10.0.0.0/16', name: 'Pool_A' }, /name 'Pool_A' is not a valid DNS-1123 subdomain/],
    ])('refuses %j', (props, message) => {
      const { chart } = cluster();
      expect(() => new CalicoIpPool(chart, 'p', props as any)).toThrow(message);
    });

    test('overlapping pools in one app fail synthesis, naming both', () => {
      const { app, chart } = cluster();
      new CalicoIpPool(chart, 'a', { cidr: '10.0.0.0/16' });
      new CalicoIpPool(chart, 'b', { cidr: '10.0.128.0/17' });
      new CalicoIpPool(chart, 'c', { cidr: '10.1.0.0/16' });
      expect(() => app.synth()).toThrow(/IPPool 'a' \(10.0.0.0\/16\) overlaps IPPool 'b' \(10.0.128.0\/17\) of 'cluster\/b': Calico IP pools in one cluster must not overlap/);
    });

    test('pools in different charts of one app are compared too', () => {
      const app = new App({ outdir: '/tmp/never-written' });
      new CalicoIpPool(new Chart(app, 'one'), 'a', { cidr: '10.0.0.0/16' });
      new CalicoInstallation(new Chart(app, 'two'), 'calico', { ipPools: [{ cidr: '10.0.0.0/20' }] });
      expect(() => app.synth()).toThrow(/IPPool 'a' \(10.0.0.0\/16\) overlaps Installation pool '10.0.0.0\/20' \(10.0.0.0\/20\) of 'two\/calico'/);
    });

    test('disjoint pools synthesize', () => {
      const { app, chart } = cluster();
      new CalicoIpPool(chart, 'a', { cidr: '10.0.0.0/16' });
      new CalicoIpPool(chart, 'b', { cidr: '10.1.0.0/16' });
      new CalicoIpPool(chart, 'c', { cidr: 'fd00::/64' });
      expect(() => app.synth()).not.toThrow();
    });
  });
});

describe('CalicoBgpConfiguration', () => {
  test('emits the default BGPConfiguration', () => {
    const { chart } = cluster();
    new CalicoBgpConfiguration(chart, 'bgp');
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'projectcalico.org/v3',
      kind: 'BGPConfiguration',
      metadata: { name: 'default' },
      spec: { asNumber: 64512, nodeToNodeMeshEnabled: true, logSeverityScreen: 'Info' },
    }]);
  });

  test('takes AS number, mesh and log level', () => {
    const { chart } = cluster();
    new CalicoBgpConfiguration(chart, 'bgp', { asNumber: 4200000000, nodeToNodeMeshEnabled: false, logSeverityScreen: 'Warning' });
    expect(Testing.synth(chart)[0].spec).toEqual({ asNumber: 4200000000, nodeToNodeMeshEnabled: false, logSeverityScreen: 'Warning' });
  });

  test.each([0, -1, 4294967296, 1.5])('refuses AS number %d', (asNumber) => {
    const { chart } = cluster();
    expect(() => new CalicoBgpConfiguration(chart, 'bgp', { asNumber })).toThrow(
      new RegExp(`asNumber ${String(asNumber).replace('.', '\\.')} is not a BGP AS number: use a whole number from 1 to 4294967295`),
    );
  });

  test('refuses an unknown log level', () => {
    const { chart } = cluster();
    expect(() => new CalicoBgpConfiguration(chart, 'bgp', { logSeverityScreen: 'Verbose' as any })).toThrow(/logSeverityScreen 'Verbose' is not a level Calico accepts: use one of 'Trace', 'Debug', 'Info', 'Warning', 'Error', 'Fatal'/);
  });
});

describe('CalicoInstallation', () => {
  test('emits the operator Installation named default, field by field', () => {
    const { chart } = cluster();
    new CalicoInstallation(chart, 'calico', {
      podSubnet: '10.244.0.0/16',
      ipPools: [{ name: 'default-ipv4', cidr: '10.244.0.0/17', blockSize: 24, natOutgoing: true, nodeSelector: 'all()' }],
      mtu: 1450,
      nodeAddressAutodetectionV4: { kubernetesNodeInternalIp: true },
      registry: 'registry.example.com/',
      imagePullSecrets: ['regcred', 'backup-regcred'],
    });
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'operator.tigera.io/v1',
      kind: 'Installation',
      metadata: { name: 'default' },
      spec: {
        variant: 'Calico',
        registry: 'registry.example.com/',
        imagePullSecrets: [{ name: 'backup-regcred' }, { name: 'regcred' }],
        calicoNetwork: {
          bgp: 'Enabled',
          ipPools: [{ name: 'default-ipv4', cidr: '10.244.0.0/17', blockSize: 24, encapsulation: 'VXLANCrossSubnet', natOutgoing: 'Enabled', nodeSelector: 'all()' }],
          mtu: 1450,
          nodeAddressAutodetectionV4: { kubernetes: 'NodeInternalIP' },
        },
      },
    }]);
  });

  test('dual stack with other autodetection methods and NAT off', () => {
    const { chart } = cluster();
    new CalicoInstallation(chart, 'calico', {
      bgp: false,
      ipPools: [{ cidr: '10.10.0.0/16', encapsulation: 'VXLAN', natOutgoing: false }, { cidr: 'fd00:10::/48', encapsulation: 'None' }],
      nodeAddressAutodetectionV4: { cidrs: ['192.168.0.0/16'] },
      nodeAddressAutodetectionV6: { interface: 'eth.*' },
    });
    const network = Testing.synth(chart)[0].spec.calicoNetwork;
    expect(network.bgp).toBe('Disabled');
    expect(network.ipPools).toEqual([
      { cidr: '10.10.0.0/16', blockSize: 26, encapsulation: 'VXLAN', natOutgoing: 'Disabled', nodeSelector: 'all()' },
      { cidr: 'fd00:10::/48', blockSize: 122, encapsulation: 'None', natOutgoing: 'Enabled', nodeSelector: 'all()' },
    ]);
    expect(network.nodeAddressAutodetectionV4).toEqual({ cidrs: ['192.168.0.0/16'] });
    expect(network.nodeAddressAutodetectionV6).toEqual({ interface: 'eth.*' });
  });

  describe('errors', () => {
    const pool = { cidr: '10.244.0.0/16' };
    test.each([
      [{ ipPools: [] }, /ipPools is empty: give at least one pool/],
      [{ ipPools: [{ cidr: '10.244.0.0/16', encapsulation: 'GRE' }] }, /ipPools\[0\] encapsulation 'GRE' is not one the Tigera operator accepts: use one of 'IPIP', 'IPIPCrossSubnet', 'None', 'VXLAN', 'VXLANCrossSubnet'/],
      [{ ipPools: [{ cidr: 'fd00::/64', encapsulation: 'IPIP' }] }, /ipPools\[0\] encapsulation 'IPIP' is set on the IPv6 pool 'fd00::\/64', but IP-in-IP only carries IPv4/],
      [{ bgp: false, ipPools: [{ cidr: '10.244.0.0/16', encapsulation: 'IPIPCrossSubnet' }] }, /encapsulation 'IPIPCrossSubnet' needs BGP, but bgp is false/],
      [{ ipPools: [{ cidr: '10.244.0.0/16', blockSize: 40 }] }, /ipPools\[0\] blockSize 40 is outside what Calico accepts for IPv4 pools/],
      [{ ipPools: [{ cidr: '10.244.0.0/33' }] }, /ipPools\[0\] cidr '10.244.0.0\/33' is not a valid CIDR block/],
      [{ podSubnet: '10.96.0.0/12', ipPools: [pool] }, /ipPools\[0\] cidr '10.244.0.0\/16' is not inside the cluster pod subnet '10.96.0.0\/12'/],
      [{ podSubnet: '10.96.0.0', ipPools: [pool] }, /podSubnet '10.96.0.0' is not a valid CIDR block/],
      [{ ipPools: [pool, { cidr: '10.244.8.0/21' }] }, /Installation pool '10.244.0.0\/16' \(10.244.0.0\/16\) overlaps Installation pool '10.244.8.0\/21' \(10.244.8.0\/21\): Calico IP pools must not overlap/],
      [{ ipPools: [pool], mtu: 100 }, /mtu 100 is not allowed: use a whole number from 576 to 9216/],
      [{ ipPools: [pool], registry: 'registry.example.com' }, /registry 'registry.example.com' must end with '\/'/],
      [{ ipPools: [pool], imagePullSecrets: ['Reg Cred'] }, /imagePullSecrets entry 'Reg Cred' is not a valid DNS-1123 subdomain/],
      [{ ipPools: [pool], nodeAddressAutodetectionV4: {} }, /nodeAddressAutodetectionV4 sets no method: set exactly one of firstFound/],
      [{ ipPools: [pool], nodeAddressAutodetectionV4: { firstFound: true, interface: 'eth0' } }, /nodeAddressAutodetectionV4 sets firstFound and interface: set exactly one/],
      [{ ipPools: [pool], nodeAddressAutodetectionV6: { cidrs: ['fd00::1/64'] } }, /nodeAddressAutodetectionV6 cidrs entry 'fd00::1\/64' has host bits set/],
      [{ ipPools: [pool], nodeAddressAutodetectionV4: { cidrs: [] } }, /nodeAddressAutodetectionV4 cidrs is empty/],
      [{ ipPools: [pool], nodeAddressAutodetectionV4: { skipInterface: '(' } }, /interface pattern '\(' is not a valid regular expression/],
      [{ ipPools: [{ cidr: '10.244.0.0/16', nodeSelector: '' }] }, /ipPools\[0\] nodeSelector is empty/],
      [{ ipPools: [{ cidr: '10.244.0.0/16', name: 'A B' }] }, /ipPools\[0\] name 'A B' is not a valid DNS-1123 subdomain/],
    ])('refuses %j', (props, message) => {
      const { chart } = cluster();
      expect(() => new CalicoInstallation(chart, 'calico', props as any)).toThrow(message);
    });
  });
});

describe('cluster-scoped Calico objects', () => {
  test.each([
    ['CalicoIpPool', 'IPPool', (c: Chart) => new CalicoIpPool(c, 'x', { cidr: '10.244.0.0/16' })],
    ['CalicoBgpConfiguration', 'BGPConfiguration', (c: Chart) => new CalicoBgpConfiguration(c, 'x')],
    ['CalicoInstallation', 'Installation', (c: Chart) => new CalicoInstallation(c, 'x', { ipPools: [{ name: 'default-ipv4', cidr: '10.244.0.0/16' }] })],
  ])('%s throws in a namespaced chart', (construct, kind, make) => {
    const namespaced = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    expect(() => make(namespaced)).toThrow(
      `${construct} 'apps/x': ${kind} is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart.`,
    );
  });
});
