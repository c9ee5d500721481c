import { Testing } from 'cdk8s';
import { KubeProxyHardening, KubeProxyHardeningProps } from '../../lib/cluster';
import { nodeChart } from './fixtures';

function proxy(props: Partial<KubeProxyHardeningProps> = {}) {
  const chart = nodeChart();
  new KubeProxyHardening(chart, 'proxy', { clusterCidr: '10.244.0.0/16', ...props });
  return Testing.synth(chart)[0];
}

describe('KubeProxyHardening', () => {
  test('IPVS with strict ARP and round robin (document 004), metrics on 127.0.0.1, no masquerade-all', () => {
    expect(proxy()).toEqual({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'ipvs',
      clusterCIDR: '10.244.0.0/16',
      metricsBindAddress: '127.0.0.1:10249',
      ipvs: { strictARP: true, scheduler: 'rr' },
      iptables: { masqueradeAll: false },
    });
  });
  test('nftables from 1.33 (GA; kubeadm 1.35+ warns that ipvs is deprecated), masquerading in its own block', () => {
    expect(proxy({ kubernetesVersion: 'v1.37.2' })).toEqual({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: 'nftables',
      clusterCIDR: '10.244.0.0/16',
      metricsBindAddress: '127.0.0.1:10249',
      nftables: { masqueradeAll: false },
    });
    expect(proxy({ kubernetesVersion: 'v1.32.1' }).mode).toBe('ipvs');
  });
  test('an explicit mode is kept', () => {
    expect(proxy({ kubernetesVersion: 'v1.37.2', mode: 'ipvs' }).ipvs).toEqual({ strictARP: true, scheduler: 'rr' });
    expect(proxy({ mode: 'iptables' })).toMatchObject({ mode: 'iptables', iptables: { masqueradeAll: false } });
    expect(proxy({ mode: 'iptables' }).ipvs).toBeUndefined();
  });
  test('metrics exposed with a reason', () => {
    expect(proxy({ metricsEndpoint: { address: '0.0.0.0', reason: 'scraped by Prometheus' } }).metricsBindAddress).toBe('0.0.0.0:10249');
    expect(proxy({ metricsEndpoint: { address: '::', reason: 'scraped by Prometheus' } }).metricsBindAddress).toBe('[::]:10249');
  });
  test('masquerade-all with a reason', () => {
    expect(proxy({ masqueradeAll: { reason: 'the upstream firewall only knows node addresses' } }).iptables.masqueradeAll).toBe(true);
  });
  test.each([
    [{ metricsEndpoint: { address: '0.0.0.0', reason: '' } }, "KubeProxyHardening 'node-files/proxy': metricsEndpoint.reason is empty"],
    [{ masqueradeAll: { reason: '' } }, 'masqueradeAll.reason is empty: say why every Service packet must be SNATed (it hides pod addresses from NetworkPolicies), or leave masqueradeAll unset.'],
    [{ ipvsScheduler: 'wrr' }, "ipvsScheduler 'wrr' is not an IPVS scheduler kube-proxy accepts"],
    [{ clusterCidr: '10.244.0.0' }, 'clusterCidr'],
    [{ mode: 'nftables' }, "KubeProxyHardening 'node-files/proxy': mode 'nftables' needs Kubernetes 1.31 or later (beta in 1.31, GA in 1.33), but the nodes run 1.28: use 'ipvs' or 'iptables', or upgrade."],
    [{ kubernetesVersion: 'v1.37.2', ipvsScheduler: 'lc' }, "ipvsScheduler 'lc' only applies in ipvs mode, and mode is 'nftables': remove it, or set mode: 'ipvs'."],
    [{ mode: 'userspace' }, "mode 'userspace' is not a kube-proxy mode"],
    [{ kubernetesVersion: '1.37' }, "kubernetesVersion '1.37' is not a Kubernetes release"],
  ])('throws for %j', (props, message) => {
    expect(() => proxy(props as any)).toThrow(message);
  });
});
