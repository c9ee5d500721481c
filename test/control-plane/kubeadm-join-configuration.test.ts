import { Testing } from 'cdk8s';
import { KubeadmConfiguration, KubeadmJoinConfiguration } from '../../lib/cluster';
import { DOC_004_HA, companions, nodeChart } from './fixtures';

function cluster(props: Record<string, unknown> = {}) {
  const chart = nodeChart();
  return new KubeadmConfiguration(chart, 'kubeadm', { ...DOC_004_HA, ...companions(chart), externalCloudProvider: true, ...props });
}

function join(props: Record<string, unknown> = {}, clusterProps: Record<string, unknown> = {}) {
  const chart = nodeChart('join');
  new KubeadmJoinConfiguration(chart, 'join', { cluster: cluster(clusterProps), ...props });
  return Testing.synth(chart)[0];
}

describe('KubeadmJoinConfiguration', () => {
  test('a worker joins by discovery kubeconfig, with the cluster CRI socket and kubelet flags', () => {
    expect(join()).toEqual({
      apiVersion: 'kubeadm.k8s.io/v1beta3',
      kind: 'JoinConfiguration',
      nodeRegistration: { criSocket: 'unix:///var/run/containerd/containerd.sock', kubeletExtraArgs: { 'cloud-provider': 'external' } },
      discovery: { file: { kubeConfigPath: '/etc/kubernetes/discovery.kubeconfig' } },
    });
  });

  test('another control-plane node advertises its own address on the API server port', () => {
    expect(join({ controlPlaneAddress: '10.0.1.12' }).controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: '10.0.1.12', bindPort: 6443 } });
  });

  test('writes no credential: no bootstrap token, no TLS bootstrap token, no certificate key', () => {
    const text = JSON.stringify(join({ controlPlaneAddress: '10.0.1.11' }));
    expect(text).not.toMatch(/token|certificateKey/i);
  });

  test('follows the cluster kubeadm API (v1beta4 from 1.31)', () => {
    const doc = join({}, { kubernetesVersion: 'v1.31.2' });
    expect(doc.apiVersion).toBe('kubeadm.k8s.io/v1beta4');
    expect(doc.nodeRegistration.kubeletExtraArgs).toEqual([{ name: 'cloud-provider', value: 'external' }]);
  });

  test('an https discovery URL is accepted', () => {
    expect(join({ discoveryKubeconfig: 'https://config.internal/discovery.kubeconfig' }).discovery.file.kubeConfigPath).toBe('https://config.internal/discovery.kubeconfig');
  });

  test.each([
    [{ controlPlaneAddress: '10.0.1.10' }, "KubeadmJoinConfiguration 'join/join': controlPlaneAddress '10.0.1.10' is the first control-plane node, which runs 'kubeadm init' instead of joining: use one of '10.0.1.11', '10.0.1.12'."],
    [{ controlPlaneAddress: '10.0.1.99' }, "KubeadmJoinConfiguration 'join/join': controlPlaneAddress '10.0.1.99' is not one of the cluster's controlPlaneNodes: use one of '10.0.1.11', '10.0.1.12', or add it there."],
    [{ discoveryKubeconfig: 'http://config.internal/x' }, "KubeadmJoinConfiguration 'join/join': discoveryKubeconfig 'http://config.internal/x' must be an absolute path on the node or an https URL: write e.g. '/etc/kubernetes/discovery.kubeconfig'."],
    [{ nodeName: 'Node_1' }, /nodeName/],
  ])('throws for %j', (props, message) => {
    expect(() => join(props)).toThrow(message);
  });
});
