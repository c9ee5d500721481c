import { KubeadmEtcdTuning } from '../../lib';
import { KubernetesVersion } from '../../lib/common/kubernetes-version';

/**
 * Document 004's highly available control plane, as data: the load-balanced endpoint, the three
 * control-plane nodes, the cluster name, the subnets and the etcd tuning. Everything else in its
 * kubeadm file is a default of the library now (see docs/cluster.md).
 */
export const CONTROL_PLANE = {
  clusterName: 'production-cluster',
  controlPlaneEndpoint: 'k8s-api.company.com:6443',
  controlPlaneNodes: [{ address: '10.0.1.10' }, { address: '10.0.1.11' }, { address: '10.0.1.12' }],
  serviceSubnet: '10.96.0.0/12',
  podSubnet: '10.244.0.0/16',
  dnsDomain: 'cluster.local',
  etcd: { autoCompactionRetentionHours: 1, quotaBackendBytes: 6442450944, maxRequestBytes: 33554432 } satisfies KubeadmEtcdTuning,
} as const;

/**
 * The release kubeadm installs for each target minor the bundled stacks are written for: the patch
 * releases `npm run test:cluster` runs (its kubeadm validates the files, its kube-apiserver loads them).
 */
export const CONTROL_PLANE_RELEASES: Partial<Record<KubernetesVersion, string>> = {
  '1.28': 'v1.28.15',
  '1.37': 'v1.37.2',
};
