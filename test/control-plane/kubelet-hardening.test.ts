import { Duration, Testing } from 'cdk8s';
import { FORWARD_SECRET_CIPHER_SUITES, KubeletHardening, KubeletHardeningProps } from '../../lib/cluster';
import { nodeChart } from './fixtures';

function kubelet(props: KubeletHardeningProps = {}) {
  const chart = nodeChart();
  new KubeletHardening(chart, 'kubelet', props);
  return Testing.synth(chart)[0];
}

describe('KubeletHardening: CIS Kubernetes Benchmark v1.8.0 section 4.2', () => {
  const doc = kubelet();
  test('is a kubelet.config.k8s.io/v1beta1 KubeletConfiguration (not the kubeadm group), without metadata', () => {
    expect([doc.apiVersion, doc.kind, doc.metadata]).toEqual(['kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration', undefined]);
  });
  test('4.2.1: anonymous requests are refused', () => {
    expect(doc.authentication.anonymous).toEqual({ enabled: false });
  });
  test('4.2.2: authorization by webhook (never AlwaysAllow), authentication by webhook', () => {
    expect(doc.authorization.mode).toBe('Webhook');
    expect(doc.authentication.webhook.enabled).toBe(true);
  });
  test('4.2.3: client certificates are checked against the cluster CA', () => {
    expect(doc.authentication.x509.clientCAFile).toBe('/etc/kubernetes/pki/ca.crt');
  });
  test('4.2.4: the read-only port is closed', () => {
    expect(doc.readOnlyPort).toBe(0);
  });
  test('4.2.5: idle streaming connections are closed after 5 minutes', () => {
    expect(doc.streamingConnectionIdleTimeout).toBe('5m');
  });
  test('4.2.6: iptables utility chains are kept', () => {
    expect(doc.makeIPTablesUtilChains).toBe(true);
  });
  test('4.2.8: events are rate-limited at the kubelet default (50/s), not unlimited', () => {
    expect(doc.eventRecordQPS).toBe(50);
  });
  test('4.2.10 and 4.2.11: client and serving certificates rotate; serving ones are signed by the cluster CA', () => {
    expect(doc.rotateCertificates).toBe(true);
    expect(doc.serverTLSBootstrap).toBe(true);
    expect(doc.featureGates).toBeUndefined();
  });
  test('4.2.12: only forward-secret cipher suites, TLS 1.2 or later', () => {
    expect(doc.tlsCipherSuites).toEqual(FORWARD_SECRET_CIPHER_SUITES);
    expect(doc.tlsMinVersion).toBe('VersionTLS12');
  });
  test('4.2.13: a limit on pod PIDs', () => {
    expect(doc.podPidsLimit).toBe(4096);
  });
});

describe('KubeletHardening: document 004 values and node protection', () => {
  const doc = kubelet();
  test("keeps document 004's sound values", () => {
    expect(doc).toMatchObject({
      cgroupDriver: 'systemd',
      containerRuntimeEndpoint: 'unix:///var/run/containerd/containerd.sock',
      resolvConf: '/run/systemd/resolve/resolv.conf',
      runtimeRequestTimeout: '15m',
      protectKernelDefaults: true,
      shutdownGracePeriod: '1m',
      shutdownGracePeriodCriticalPods: '20s',
    });
  });
  test('evicts before the node runs out of memory, disk or inodes', () => {
    expect(doc.evictionHard).toEqual({ 'memory.available': '500Mi', 'nodefs.available': '10%', 'nodefs.inodesFree': '5%', 'imagefs.available': '15%' });
  });
  test('runs every container with the RuntimeDefault seccomp profile unless the pod says otherwise', () => {
    expect(doc.seccompDefault).toBe(true);
  });
  test('props change the values', () => {
    const custom = kubelet({ podPidsLimit: 1024, eventRecordQps: 0, evictionHard: { memoryAvailable: '1Gi' }, shutdownGracePeriod: Duration.minutes(2) });
    expect([custom.podPidsLimit, custom.eventRecordQPS, custom.evictionHard['memory.available'], custom.shutdownGracePeriod]).toEqual([1024, 0, '1Gi', '2m']);
  });
});

describe('KubeletHardening: bad input', () => {
  test.each([
    [{ tlsCipherSuites: ['TLS_RSA_WITH_AES_128_GCM_SHA256'] }, "KubeletHardening 'node-files/kubelet': tlsCipherSuites entry 'TLS_RSA_WITH_AES_128_GCM_SHA256' uses RSA key exchange, which has no forward secrecy: use only"],
    [{ tlsCipherSuites: [] }, 'tlsCipherSuites is empty'],
    [{ tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA'] }, "'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' is not a forward-secret AEAD suite"],
    [{ streamingConnectionIdleTimeout: Duration.seconds(0) }, "'streamingConnectionIdleTimeout' (0s) is not allowed"],
    [{ shutdownGracePeriodCriticalPods: Duration.seconds(90) }, 'shutdownGracePeriodCriticalPods (90s) is longer than shutdownGracePeriod (60s)'],
    [{ podPidsLimit: 10 }, 'podPidsLimit'],
    [{ evictionHard: { memoryAvailable: 'lots' } }, "evictionHard.memoryAvailable 'lots' is not a threshold"],
    [{ evictionHard: { nodefsInodesFree: '100Mi' } }, "evictionHard.nodefsInodesFree '100Mi' is not a threshold: write a percentage between 0 and 100 such as '10%'."],
    [{ containerRuntimeEndpoint: '/run/containerd/containerd.sock' }, 'must be a unix socket URL'],
  ])('throws for %j', (props, message) => {
    expect(() => kubelet(props as KubeletHardeningProps)).toThrow(message);
  });
  test('the legacy CHACHA20 spelling is accepted and normalized', () => {
    expect(kubelet({ tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305'] }).tlsCipherSuites).toEqual(['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256']);
  });
});
