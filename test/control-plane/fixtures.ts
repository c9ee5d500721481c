import { Chart, Testing } from 'cdk8s';
import {
  AuditPolicy, EncryptionAtRest, EncryptionKeySource, EncryptionProvider, KubeadmConfiguration, KubeadmConfigurationProps,
  PodSecurityAdmissionDefaults,
} from '../../lib/cluster';

/** A chart for the files of one control plane. */
export function nodeChart(id = 'node-files'): Chart {
  return new Chart(Testing.app(), id);
}

/** The companion files every KubeadmConfiguration needs. */
export function companions(chart: Chart) {
  return {
    auditPolicy: new AuditPolicy(chart, 'audit'),
    encryptionAtRest: new EncryptionAtRest(chart, 'encryption', { providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY'))] }),
    podSecurityAdmission: new PodSecurityAdmissionDefaults(chart, 'psa', { version: 'v1.28' }),
  };
}

/** Document 004's highly available control plane as props. */
export const DOC_004_HA = {
  kubernetesVersion: 'v1.28.15',
  clusterName: 'production-cluster',
  controlPlaneEndpoint: 'k8s-api.company.com:6443',
  controlPlaneNodes: [{ address: '10.0.1.10' }, { address: '10.0.1.11' }, { address: '10.0.1.12' }],
  serviceSubnet: '10.96.0.0/12',
  podSubnet: '10.244.0.0/16',
} as const;

/** A KubeadmConfiguration in its own chart; returns the construct and the synthesized documents by kind. */
export function kubeadm(props: Partial<KubeadmConfigurationProps> = {}) {
  const chart = nodeChart();
  const construct = new KubeadmConfiguration(chart, 'kubeadm', { ...DOC_004_HA, ...companions(chart), ...props });
  const docs = Testing.synth(chart);
  const byKind = (kind: string) => docs.find((d: any) => d.kind === kind);
  return { chart, construct, docs, init: byKind('InitConfiguration'), cluster: byKind('ClusterConfiguration') };
}

/** The `extraArgs` of a v1beta3 component as a map. */
export function args(component: any): Record<string, string> {
  return component.extraArgs ?? component.local?.extraArgs;
}
