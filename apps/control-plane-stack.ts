import { join } from 'node:path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import {
  AuditPolicy, EncryptionAtRest, EncryptionProvider, KubeadmConfiguration, KubeadmJoinConfiguration, KubeletHardening,
  KubeProxyHardening, PodSecurityAdmissionDefaults, parseKubernetesRelease,
} from '../lib';
import { CONTROL_PLANE, CONTROL_PLANE_RELEASES } from './config/control-plane';
import { CloudProfile } from './config/shop-config';
import { KubernetesVersion } from '../lib/common/kubernetes-version';

/** Options of {@link addControlPlaneCharts}. */
export interface ControlPlaneOptions {
  /** The cloud the nodes run on: picks the KMS plugin that encrypts Secrets in etcd. */
  readonly cloud: CloudProfile;
  /** The Kubernetes release to install, e.g. 'v1.37.2'. */
  readonly kubernetesVersion: string;
}

/**
 * Adds to `app` the files a platform team copies to the nodes before `kubeadm init`/`join`, one
 * chart (file) each — none of them is applied to the API server:
 * - `kubeadm-init.yaml`: InitConfiguration, ClusterConfiguration, KubeletConfiguration and
 *   KubeProxyConfiguration, for `kubeadm init --config` on the first control-plane node;
 * - `kubeadm-join-control-plane-<n>.yaml` for the other control-plane nodes, `kubeadm-join-worker.yaml`;
 * - `audit-policy.yaml`, `encryption-configuration.yaml` (a KMS v2 plugin: no key in the file) and
 *   `admission-configuration.yaml`, for /etc/kubernetes/ on every control-plane node.
 * Chart ids name the files: treat them as a contract. Returns the init configuration.
 */
export function addControlPlaneCharts(app: App, options: ControlPlaneOptions): KubeadmConfiguration {
  const version = options.kubernetesVersion;
  const chart = (name: string) => new Chart(app, name, { disableResourceNameHashes: true });
  const init = chart('kubeadm-init');
  const release = parseKubernetesRelease(init, 'kubernetesVersion', version);

  const auditPolicy = new AuditPolicy(chart('audit-policy'), 'audit-policy');
  const encryptionAtRest = new EncryptionAtRest(chart('encryption-configuration'), 'encryption', {
    providers: [options.cloud.cloud === 'aws' ? EncryptionProvider.awsKms() : EncryptionProvider.alibabaKms()],
  });
  const podSecurityAdmission = new PodSecurityAdmissionDefaults(chart('admission-configuration'), 'pod-security', {
    version: `v1.${release.minor}`,
  });
  const kubeadm = new KubeadmConfiguration(init, 'kubeadm', {
    kubernetesVersion: version,
    clusterName: CONTROL_PLANE.clusterName,
    controlPlaneEndpoint: CONTROL_PLANE.controlPlaneEndpoint,
    controlPlaneNodes: CONTROL_PLANE.controlPlaneNodes,
    serviceSubnet: CONTROL_PLANE.serviceSubnet,
    podSubnet: CONTROL_PLANE.podSubnet,
    dnsDomain: CONTROL_PLANE.dnsDomain,
    etcd: CONTROL_PLANE.etcd,
    externalCloudProvider: true,
    auditPolicy,
    encryptionAtRest,
    podSecurityAdmission,
  });
  new KubeletHardening(init, 'kubelet');
  new KubeProxyHardening(init, 'kube-proxy', { clusterCidr: CONTROL_PLANE.podSubnet, kubernetesVersion: version });

  CONTROL_PLANE.controlPlaneNodes.slice(1).forEach((node, i) => {
    new KubeadmJoinConfiguration(chart(`kubeadm-join-control-plane-${i + 2}`), 'join', { cluster: kubeadm, controlPlaneAddress: node.address });
  });
  new KubeadmJoinConfiguration(chart('kubeadm-join-worker'), 'join', { cluster: kubeadm });
  return kubeadm;
}

/**
 * One cdk8s App per cloud writing `<outRoot>/<cloud>/control-plane/*.yaml`, installing the pinned
 * release ({@link CONTROL_PLANE_RELEASES}) of `target`, else of the cloud's target minor.
 */
export function createControlPlaneApps(
  outRoot: string, clouds: readonly CloudProfile[], options: { target?: KubernetesVersion } = {},
): { folder: string; app: App }[] {
  return clouds.map((cloud) => {
    const folder = `${cloud.cloud}/control-plane`;
    const target = options.target ?? cloud.kubernetesVersion;
    const release = CONTROL_PLANE_RELEASES[target];
    if (release === undefined) {
      throw new Error(`createControlPlaneApps: no pinned Kubernetes release for target ${target} (${cloud.cloud}): add its newest patch release to CONTROL_PLANE_RELEASES in apps/config/control-plane.ts (known: ${Object.keys(CONTROL_PLANE_RELEASES).join(', ')}).`);
    }
    const app = new App({ outdir: join(outRoot, folder), yamlOutputType: YamlOutputType.FILE_PER_CHART, outputFileExtension: '.yaml' });
    addControlPlaneCharts(app, { cloud, kubernetesVersion: release });
    return { folder, app };
  });
}
