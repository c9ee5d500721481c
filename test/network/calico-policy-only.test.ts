import { Chart, Testing } from 'cdk8s';
import { CalicoInstallation, CalicoInstallationProps } from '../../lib/network';

function installation(props: CalicoInstallationProps) {
  const chart = new Chart(Testing.app(), 'cluster');
  new CalicoInstallation(chart, 'calico', props);
  return Testing.synth(chart);
}

describe('CalicoInstallation: policy-only mode on another CNI', () => {
  test('the EKS VPC CNI: Calico enforces policy only (no pools, no BGP, AmazonVPC CNI and IPAM)', () => {
    expect(installation({ cni: 'AmazonVPC', registry: 'registry.example.com/', imagePullSecrets: ['pull'] })).toEqual([{
      apiVersion: 'operator.tigera.io/v1',
      kind: 'Installation',
      metadata: { name: 'default' },
      spec: {
        variant: 'Calico',
        kubernetesProvider: 'EKS',
        cni: { type: 'AmazonVPC', ipam: { type: 'AmazonVPC' } },
        calicoNetwork: { bgp: 'Disabled' },
        registry: 'registry.example.com/',
        imagePullSecrets: [{ name: 'pull' }],
      },
    }]);
  });

  test('the Calico CNI is the default and still needs pools', () => {
    expect(installation({ ipPools: [{ cidr: '10.244.0.0/16' }] })[0].spec.cni).toBeUndefined();
    expect(() => installation({})).toThrow("CalicoInstallation 'cluster/calico': ipPools is empty: give at least one pool, e.g. { cidr: '10.244.0.0/16' }.");
  });

  test('ACK Terway is refused with the fix', () => {
    expect(() => installation({ cni: 'AlibabaTerway' })).toThrow(
      "CalicoInstallation 'cluster/calico': cni 'AlibabaTerway' has no policy-only mode in the Tigera operator (its CNI types are Calico, AmazonVPC, AzureVNET, GKE): on ACK, enable Terway's own NetworkPolicy enforcement (eni-config ConfigMap, disable_network_policy: \"false\") and keep the NetworkPolicies, without a CalicoInstallation.",
    );
  });

  test('pool settings are refused in policy-only mode', () => {
    expect(() => installation({ cni: 'AmazonVPC', ipPools: [{ cidr: '10.244.0.0/16' }], mtu: 1440 })).toThrow(
      "CalicoInstallation 'cluster/calico': cni 'AmazonVPC' addresses and routes pods itself, so ipPools, mtu would be ignored: remove them (Calico only enforces policy in this mode).",
    );
    expect(() => installation({ cni: 'AmazonVPC', registry: 'quay.io' })).toThrow(/registry 'quay.io' must end with '\/'/);
  });
});
