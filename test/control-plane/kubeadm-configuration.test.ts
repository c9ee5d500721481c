import { Duration, Testing } from 'cdk8s';
import { FORWARD_SECRET_CIPHER_SUITES, KubeadmConfiguration } from '../../lib/cluster';
import { DOC_004_HA, args, companions, kubeadm, nodeChart } from './fixtures';

const FS_CIPHERS = FORWARD_SECRET_CIPHER_SUITES.join(',');

describe('KubeadmConfiguration: document 004 inputs', () => {
  test('writes an InitConfiguration for the first control-plane node and a ClusterConfiguration for the HA endpoint', () => {
    const { docs, init, cluster } = kubeadm();
    expect(docs.map((d: any) => `${d.apiVersion} ${d.kind}`).filter((k: string) => k.startsWith('kubeadm'))).toEqual([
      'kubeadm.k8s.io/v1beta3 InitConfiguration', 'kubeadm.k8s.io/v1beta3 ClusterConfiguration',
    ]);
    expect(init.localAPIEndpoint).toEqual({ advertiseAddress: '10.0.1.10', bindPort: 6443 });
    expect(init.nodeRegistration).toEqual({ criSocket: 'unix:///var/run/containerd/containerd.sock' });
    expect(init.bootstrapTokens).toBeUndefined();
    expect(cluster).toMatchObject({
      kubernetesVersion: 'v1.28.15',
      clusterName: 'production-cluster',
      controlPlaneEndpoint: 'k8s-api.company.com:6443',
      networking: { serviceSubnet: '10.96.0.0/12', podSubnet: '10.244.0.0/16', dnsDomain: 'cluster.local' },
    });
  });

  test('no document carries metadata (kubeadm decodes strictly)', () => {
    const { docs } = kubeadm();
    for (const d of docs) expect(d.metadata).toBeUndefined();
  });

  test('the certificate names the endpoint host and every control-plane address, plus extra SANs once', () => {
    const { cluster } = kubeadm({ certSans: ['10.0.1.11', '127.0.0.1', 'api.internal'] });
    expect(cluster.apiServer.certSANs).toEqual(['k8s-api.company.com', '10.0.1.10', '10.0.1.11', '10.0.1.12', '127.0.0.1', 'api.internal']);
  });

  test("etcd takes document 004's tuning, with metrics on 127.0.0.1", () => {
    const { cluster } = kubeadm({ etcd: { autoCompactionRetentionHours: 1, quotaBackendBytes: 6442450944, maxRequestBytes: 33554432 } });
    expect(cluster.etcd.local.dataDir).toBe('/var/lib/etcd');
    expect(args(cluster.etcd)).toEqual({
      'auto-compaction-mode': 'periodic',
      'auto-compaction-retention': '1h',
      'cipher-suites': FS_CIPHERS,
      'listen-metrics-urls': 'http://127.0.0.1:2381',
      'max-request-bytes': '33554432',
      'quota-backend-bytes': '6442450944',
    });
  });

  test('external cloud provider: the kubelet flag document 004 passes, nothing removed', () => {
    const { init } = kubeadm({ externalCloudProvider: true });
    expect(init.nodeRegistration.kubeletExtraArgs).toEqual({ 'cloud-provider': 'external' });
  });
});

describe('KubeadmConfiguration: CIS Kubernetes Benchmark v1.8.0 defaults', () => {
  const { cluster } = kubeadm();
  const api = args(cluster.apiServer);
  const cm = args(cluster.controllerManager);
  const sched = args(cluster.scheduler);

  test('1.2.3 and 1.2.15: DenyServiceExternalIPs and NodeRestriction admission plugins', () => {
    expect(api['enable-admission-plugins']).toBe('NodeRestriction,DenyServiceExternalIPs');
  });
  test('1.2.5: kubelet serving certificates are checked against the cluster CA', () => {
    expect(api['kubelet-certificate-authority']).toBe('/etc/kubernetes/pki/ca.crt');
  });
  test('1.2.6, 1.2.7, 1.2.8: authorization mode Node,RBAC (never AlwaysAllow)', () => {
    expect(api['authorization-mode']).toBe('Node,RBAC');
  });
  test('1.2.16: API server profiling off', () => {
    expect(api.profiling).toBe('false');
  });
  test('1.2.17 to 1.2.20: audit log path, 30 days, 10 backups, 100 MB, on a host folder mounted read-write', () => {
    expect(api['audit-log-path']).toBe('/var/log/kubernetes/audit/audit.log');
    expect([api['audit-log-maxage'], api['audit-log-maxbackup'], api['audit-log-maxsize']]).toEqual(['30', '10', '100']);
    expect(cluster.apiServer.extraVolumes).toContainEqual({ name: 'audit-log', hostPath: '/var/log/kubernetes/audit', mountPath: '/var/log/kubernetes/audit', readOnly: false, pathType: 'DirectoryOrCreate' });
  });
  test('1.2.22: service account lookup on', () => {
    expect(api['service-account-lookup']).toBe('true');
  });
  test('1.2.28: the encryption provider config, mounted read-only', () => {
    expect(api['encryption-provider-config']).toBe('/etc/kubernetes/encryption-configuration.yaml');
    expect(cluster.apiServer.extraVolumes).toContainEqual({ name: 'encryption-configuration', hostPath: '/etc/kubernetes/encryption-configuration.yaml', mountPath: '/etc/kubernetes/encryption-configuration.yaml', readOnly: true, pathType: 'File' });
  });
  test('1.2.30: only forward-secret cipher suites, TLS 1.2 or later, on every control-plane component', () => {
    for (const a of [api, cm, sched]) {
      expect(a['tls-cipher-suites']).toBe(FS_CIPHERS);
      expect(a['tls-min-version']).toBe('VersionTLS12');
    }
    expect(args(cluster.etcd)['cipher-suites']).toBe(FS_CIPHERS);
    expect(FS_CIPHERS).not.toMatch(/TLS_RSA_/);
  });
  test('3.2.1: an audit policy file, mounted read-only', () => {
    expect(api['audit-policy-file']).toBe('/etc/kubernetes/audit-policy.yaml');
    expect(cluster.apiServer.extraVolumes).toContainEqual(expect.objectContaining({ name: 'audit-policy', readOnly: true, pathType: 'File' }));
  });
  test('the Pod Security admission configuration replaces the PodSecurityPolicy plugin', () => {
    expect(api['admission-control-config-file']).toBe('/etc/kubernetes/admission-configuration.yaml');
    expect(api['enable-admission-plugins']).not.toMatch(/PodSecurityPolicy/);
  });
  test('1.3.2 and 1.4.1: controller manager and scheduler profiling off', () => {
    expect(cm.profiling).toBe('false');
    expect(sched.profiling).toBe('false');
  });
  test('1.3.3: the controller manager uses per-controller service account credentials', () => {
    expect(cm['use-service-account-credentials']).toBe('true');
  });
  test('1.3.6: kubelet serving certificate rotation is not turned off', () => {
    expect(cm['feature-gates']).toBeUndefined();
  });
  test('1.3.7 and 1.4.2: controller manager and scheduler bound to 127.0.0.1', () => {
    expect(cm['bind-address']).toBe('127.0.0.1');
    expect(sched['bind-address']).toBe('127.0.0.1');
  });
  test('signed kubelet certificates last one year (kubeadm and document 004)', () => {
    expect(cm['cluster-signing-duration']).toBe('8760h');
  });
});

describe('KubeadmConfiguration: kubeadm API by target release', () => {
  test.each([['v1.28.15', 'v1beta3'], ['v1.29.0', 'v1beta3'], ['v1.30.4', 'v1beta3'], ['v1.31.0', 'v1beta4'], ['1.33.2', 'v1beta4']])('%s is configured with kubeadm.k8s.io/%s', (version, api) => {
    const { init, cluster } = kubeadm({ kubernetesVersion: version });
    expect(init.apiVersion).toBe(`kubeadm.k8s.io/${api}`);
    expect(cluster.apiVersion).toBe(`kubeadm.k8s.io/${api}`);
    expect(cluster.kubernetesVersion).toBe(version.startsWith('v') ? version : `v${version}`);
  });

  test('v1beta4 writes extraArgs as a sorted list of name/value pairs', () => {
    const { init, cluster } = kubeadm({ kubernetesVersion: 'v1.31.4', externalCloudProvider: true });
    expect(init.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'cloud-provider', value: 'external' }]);
    const list = cluster.scheduler.extraArgs;
    expect(list).toEqual([
      { name: 'bind-address', value: '127.0.0.1' },
      { name: 'profiling', value: 'false' },
      { name: 'tls-cipher-suites', value: FS_CIPHERS },
      { name: 'tls-min-version', value: 'VersionTLS12' },
    ]);
    expect(cluster.etcd.local.extraArgs).toContainEqual({ name: 'listen-metrics-urls', value: 'http://127.0.0.1:2381' });
  });

  test.each([
    ['v1.27.9', /older than v1\.28/],
    ['v1.28', /is not a Kubernetes release: write it as 'v1.<minor>.<patch>'/],
    ['latest', /is not a Kubernetes release/],
  ])('throws for kubernetesVersion %s', (version, message) => {
    expect(() => kubeadm({ kubernetesVersion: version })).toThrow(message);
  });
});

describe('KubeadmConfiguration: exposing an endpoint needs a reason', () => {
  test('the controller manager binds the given address with a reason', () => {
    const { cluster } = kubeadm({ controllerManagerEndpoint: { address: '0.0.0.0', reason: 'scraped by Prometheus on the node network' } });
    expect(args(cluster.controllerManager)['bind-address']).toBe('0.0.0.0');
  });
  test('etcd metrics on the node address', () => {
    const { cluster } = kubeadm({ etcdMetricsEndpoint: { address: '10.0.1.10', reason: 'scraped by Prometheus' } });
    expect(args(cluster.etcd)['listen-metrics-urls']).toBe('http://10.0.1.10:2381');
  });
  test('throws without a reason', () => {
    expect(() => kubeadm({ schedulerEndpoint: { address: '0.0.0.0', reason: ' ' } })).toThrow(
      "KubeadmConfiguration 'node-files/kubeadm': schedulerEndpoint.reason is empty: say why the endpoint must be reachable from off the node (e.g. 'scraped by the in-cluster Prometheus'), or leave schedulerEndpoint unset to keep it on 127.0.0.1.",
    );
  });
  test('throws for an address that is not an IP', () => {
    expect(() => kubeadm({ schedulerEndpoint: { address: 'all', reason: 'x' } })).toThrow(/schedulerEndpoint.address 'all' is not an IP address/);
  });
});

describe('KubeadmConfiguration: bad input', () => {
  test('PodSecurityPolicy is refused with the fix', () => {
    expect(() => kubeadm({ admissionPlugins: ['NodeRestriction', 'ResourceQuota', 'PodSecurityPolicy'] })).toThrow(
      "KubeadmConfiguration 'node-files/kubeadm': admissionPlugins includes 'PodSecurityPolicy', which Kubernetes 1.25 removed (kube-apiserver v1.28.15 refuses to start with it): drop it; Pod Security Admission is on by default and PodSecurityAdmissionDefaults sets its cluster-wide levels.",
    );
  });
  test("document 004's other plugins are accepted", () => {
    const { cluster } = kubeadm({ admissionPlugins: ['NodeRestriction', 'ResourceQuota'] });
    expect(args(cluster.apiServer)['enable-admission-plugins']).toBe('NodeRestriction,ResourceQuota');
  });
  test.each([
    [['ResourceQuota'], /leaves out 'NodeRestriction' \(CIS 1.2.15/],
    [['NodeRestriction', 'AlwaysAdmit'], /'AlwaysAdmit', a test plugin \(CIS 1.2.10/],
    [['NodeRestriction', 'SecurityContextDeny'], /'SecurityContextDeny', which is deprecated/],
    [['NodeRestriction', 'EventRateLimit'], /needs its own section in the admission configuration file/],
    [['NodeRestriction', 'PodSecurityPolicyy'], /'PodSecurityPolicyy', which is not an admission plugin/],
    [['NodeRestriction', 'NodeRestriction'], /lists 'NodeRestriction' twice/],
  ])('admissionPlugins %j throws', (plugins, message) => {
    expect(() => kubeadm({ admissionPlugins: plugins })).toThrow(message);
  });
  test('the TLS_RSA suites of document 004 are refused', () => {
    expect(() => kubeadm({ tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_256_GCM_SHA384'] })).toThrow(
      "KubeadmConfiguration 'node-files/kubeadm': tlsCipherSuites entry 'TLS_RSA_WITH_AES_256_GCM_SHA384' uses RSA key exchange, which has no forward secrecy: use only " + FORWARD_SECRET_CIPHER_SUITES.join(', ') + '.',
    );
  });
  test('an extra flag may not override a hardened one', () => {
    expect(() => kubeadm({ apiServerExtraArgs: { profiling: 'true' } })).toThrow(
      "KubeadmConfiguration 'node-files/kubeadm': apiServerExtraArgs sets 'profiling' ('true'), which this construct sets to 'false' for hardening: change it through the matching prop, or remove it.",
    );
    expect(() => kubeadm({ schedulerExtraArgs: { 'bind-address': '0.0.0.0' } })).toThrow(/schedulerExtraArgs sets 'bind-address' \('0.0.0.0'\)/);
  });
  test('other extra flags are added', () => {
    const { cluster } = kubeadm({ apiServerExtraArgs: { 'request-timeout': '300s' } });
    expect(args(cluster.apiServer)['request-timeout']).toBe('300s');
  });
  test('a static token file is refused (CIS 1.2.2)', () => {
    expect(() => kubeadm({ apiServerExtraArgs: { 'token-auth-file': '/etc/tokens.csv' } })).toThrow(/'token-auth-file' \(CIS 1.2.2/);
  });
  test.each([
    [{ 'container-runtime': 'remote' }, "sets kubelet flag 'container-runtime' ('remote'), which is removed in 1.27 (the kubelet only speaks CRI): drop it."],
    [{ 'container-runtime-endpoint': 'unix:///var/run/containerd/containerd.sock' }, "which is deprecated in favour of the configuration field: set KubeletHardening's containerRuntimeEndpoint."],
    [{ 'network-plugin': 'cni' }, 'removed in 1.24 with dockershim'],
    [{ 'read-only-port': '10255' }, 'would override the hardened KubeletConfiguration'],
    [{ 'cloud-provider': 'aws' }, 'use externalCloudProvider: true instead'],
  ])('kubeletExtraArgs %j throws', (flags, message) => {
    expect(() => kubeadm({ kubeletExtraArgs: flags })).toThrow(message);
  });
  test('an even number of control-plane nodes is refused (etcd quorum)', () => {
    expect(() => kubeadm({ controlPlaneNodes: [{ address: '10.0.1.10' }, { address: '10.0.1.11' }] })).toThrow(
      "KubeadmConfiguration 'node-files/kubeadm': controlPlaneNodes lists 2 nodes: etcd needs a majority, so 2 nodes survive no more failures than 1; use an odd number (1, 3 or 5).",
    );
  });
  test.each([
    [{ controlPlaneNodes: [{ address: '10.0.1.300' }] }, /controlPlaneNodes\[0\].address '10.0.1.300' is not an IP address/],
    [{ controlPlaneNodes: [{ address: '0.0.0.0' }] }, /cannot be advertised to other nodes/],
    [{ controlPlaneNodes: [{ address: '10.0.1.10' }, { address: '10.0.1.10' }, { address: '10.0.1.12' }] }, /lists '10.0.1.10' twice/],
    [{ controlPlaneNodes: [] }, /controlPlaneNodes is empty/],
    [{ controlPlaneEndpoint: 'k8s-api.company.com' }, /controlPlaneEndpoint 'k8s-api.company.com' is not 'host:port'/],
    [{ controlPlaneEndpoint: 'k8s-api.company.com:70000' }, /controlPlaneEndpoint port/],
    [{ podSubnet: '10.96.0.0/16' }, /serviceSubnet '10.96.0.0\/12' overlaps podSubnet '10.96.0.0\/16'/],
    [{ certSans: ['not a name'] }, /certSans entry 'not a name' is neither an IP address nor a DNS name/],
    [{ auditLog: { maxAgeDays: 7 } }, /auditLog.maxAgeDays/],
    [{ clusterSigningDuration: Duration.minutes(5) }, /clusterSigningDuration/],
    [{ criSocket: '/run/containerd.sock' }, /criSocket '\/run\/containerd.sock' must be a unix socket URL/],
  ])('throws for %j', (props, message) => {
    expect(() => kubeadm(props as any)).toThrow(message);
  });

  test('the construct path names the place in app code', () => {
    const chart = nodeChart('shop-cluster');
    expect(() => new KubeadmConfiguration(chart, 'kubeadm', { ...DOC_004_HA, ...companions(chart), podSubnet: 'x' })).toThrow(/^KubeadmConfiguration 'shop-cluster\/kubeadm': podSubnet/);
  });

  test('synthesizing twice gives the same documents', () => {
    expect(kubeadm().docs).toEqual(kubeadm().docs);
    expect(Testing.synth(kubeadm().chart)).toEqual(kubeadm().docs);
  });
});
