import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { AuditPolicy } from './audit-policy';
import { addConfigDocument, kubeadmArgs } from './config-document';
import { EncryptionAtRest } from './encryption-at-rest';
import { ExposedEndpoint, bindAddress, hostPort } from './exposed-endpoint';
import { requireKubeletExtraArgs } from './kubelet-hardening';
import { KubernetesRelease, parseKubernetesRelease } from './kubernetes-version';
import { requireNodePath } from './node-path';
import { PodSecurityAdmissionDefaults } from './pod-security-admission-defaults';
import { FORWARD_SECRET_CIPHER_SUITES, requireForwardSecretCipherSuites } from './tls';
import { fail, show } from '../common/errors';
import { isDns1123Subdomain, validateDns1123Subdomain, validateInteger, validatePortNumber } from '../common/validation';
import { cidrsOverlap, requireCidr } from '../network/cidr';
import { goDuration } from '../secrets/go-duration';

/** A control-plane node: kubeadm runs `init` on the first and `join --control-plane` on the others. */
export interface KubeadmControlPlaneNode {
  /** The address its API server advertises and binds, e.g. '10.0.1.10'. */
  readonly address: string;
  /** Its node name. @default - the host name */
  readonly name?: string;
}

/** etcd tuning (document 004's values are sound and are what the bundled stacks pass). */
export interface KubeadmEtcdTuning {
  /** Hours of revisions kept by periodic compaction. @default 1 */
  readonly autoCompactionRetentionHours?: number;
  /** The database size at which etcd raises a space alarm and refuses writes. @default 6442450944 (6 GiB; etcd's own default is 2 GiB) */
  readonly quotaBackendBytes?: number;
  /** The largest request etcd accepts. @default 33554432 (32 MiB; large CRDs and ConfigMaps) */
  readonly maxRequestBytes?: number;
}

/** API server audit log rotation (CIS 1.2.17 to 1.2.20). */
export interface KubeadmAuditLogOptions {
  /** The folder on each control-plane node that holds `audit.log` (mounted into the API server pod). @default '/var/log/kubernetes/audit' */
  readonly directory?: string;
  /** Days rotated files are kept. @default 30 (CIS 1.2.18) */
  readonly maxAgeDays?: number;
  /** Rotated files kept. @default 10 (CIS 1.2.19) */
  readonly maxBackups?: number;
  /** Size at which the log is rotated, in megabytes. @default 100 (CIS 1.2.20) */
  readonly maxSizeMegabytes?: number;
}

/** Props of {@link KubeadmConfiguration}. */
export interface KubeadmConfigurationProps {
  /** The Kubernetes release to install, e.g. 'v1.28.15'; also picks the kubeadm API (v1beta3 up to 1.30, v1beta4 from 1.31). */
  readonly kubernetesVersion: string;
  /** The cluster name. @default 'kubernetes' */
  readonly clusterName?: string;
  /** The load-balanced API endpoint every node and client uses, `host:port` (e.g. 'k8s-api.company.com:6443'). */
  readonly controlPlaneEndpoint: string;
  /** The control-plane nodes, an odd number (etcd quorum): the first runs `kubeadm init`. */
  readonly controlPlaneNodes: readonly KubeadmControlPlaneNode[];
  /** The port each API server binds. @default 6443 */
  readonly apiServerBindPort?: number;
  /** Extra names and addresses in the API server certificate. @default - none beyond the endpoint host and the control-plane addresses, which are always included */
  readonly certSans?: readonly string[];
  /** The Service subnet. @default '10.96.0.0/12' */
  readonly serviceSubnet?: string;
  /** The pod subnet (the CNI's pool must lie inside it). */
  readonly podSubnet: string;
  /** The cluster DNS domain. @default 'cluster.local' */
  readonly dnsDomain?: string;
  /** The CRI socket kubeadm talks to. @default 'unix:///var/run/containerd/containerd.sock' */
  readonly criSocket?: string;
  /** Nodes get their cloud metadata from an external cloud controller manager (kubelet `--cloud-provider=external`). @default false */
  readonly externalCloudProvider?: boolean;
  /** More kubelet flags; removed flags and flags that would undo KubeletHardening are refused. @default - none */
  readonly kubeletExtraArgs?: Record<string, string>;
  /** etcd tuning. @default - see {@link KubeadmEtcdTuning} */
  readonly etcd?: KubeadmEtcdTuning;
  /** The audit policy the API servers load. */
  readonly auditPolicy: AuditPolicy;
  /** Audit log rotation. @default - 30 days, 10 files, 100 MB, under /var/log/kubernetes/audit */
  readonly auditLog?: KubeadmAuditLogOptions;
  /** Encryption of Secrets in etcd. */
  readonly encryptionAtRest: EncryptionAtRest;
  /** Cluster-wide Pod Security Admission defaults (replaces document 004's PodSecurityPolicy plugin). */
  readonly podSecurityAdmission: PodSecurityAdmissionDefaults;
  /** Admission plugins to enable besides the API server's default set. @default ['NodeRestriction', 'DenyServiceExternalIPs'] (CIS 1.2.15 and 1.2.3) */
  readonly admissionPlugins?: readonly string[];
  /** TLS cipher suites of the API server, controller manager, scheduler and etcd. @default FORWARD_SECRET_CIPHER_SUITES (CIS 1.2.30) */
  readonly tlsCipherSuites?: readonly string[];
  /** Expose the controller manager's secure port (10257) beyond 127.0.0.1. @default - 127.0.0.1 (CIS 1.3.7) */
  readonly controllerManagerEndpoint?: ExposedEndpoint;
  /** Expose the scheduler's secure port (10259) beyond 127.0.0.1. @default - 127.0.0.1 (CIS 1.4.2) */
  readonly schedulerEndpoint?: ExposedEndpoint;
  /** Expose etcd's plain-HTTP metrics (2381) beyond 127.0.0.1. @default - 127.0.0.1 */
  readonly etcdMetricsEndpoint?: ExposedEndpoint;
  /** Validity of certificates the controller manager signs (kubelet client and serving certificates). @default Duration.days(365) */
  readonly clusterSigningDuration?: Duration;
  /** More API server flags; flags this construct sets are refused. @default - none */
  readonly apiServerExtraArgs?: Record<string, string>;
  /** More controller manager flags; flags this construct sets are refused. @default - none */
  readonly controllerManagerExtraArgs?: Record<string, string>;
  /** More scheduler flags; flags this construct sets are refused. @default - none */
  readonly schedulerExtraArgs?: Record<string, string>;
}

/** Plugins the API servers of 1.28 and later know (`kube-apiserver --help`), minus the removed ones handled below. */
const KNOWN_ADMISSION_PLUGINS: readonly string[] = [
  'AlwaysPullImages', 'CertificateApproval', 'CertificateSigning', 'CertificateSubjectRestriction',
  'ClusterTrustBundleAttest', 'DefaultIngressClass', 'DefaultStorageClass', 'DefaultTolerationSeconds',
  'DenyServiceExternalIPs', 'EventRateLimit', 'ExtendedResourceToleration', 'ImagePolicyWebhook',
  'LimitPodHardAntiAffinityTopology', 'LimitRanger', 'MutatingAdmissionWebhook', 'NamespaceAutoProvision',
  'NamespaceExists', 'NamespaceLifecycle', 'NodeRestriction', 'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize', 'PodNodeSelector', 'PodSecurity', 'PodTolerationRestriction',
  'Priority', 'ResourceQuota', 'RuntimeClass', 'ServiceAccount', 'StorageObjectInUseProtection',
  'TaintNodesByCondition', 'ValidatingAdmissionPolicy', 'ValidatingAdmissionWebhook',
];

/** Plugins that need their own section in the admission configuration file, which this construct does not write. */
const PLUGINS_NEEDING_CONFIGURATION: readonly string[] = ['EventRateLimit', 'ImagePolicyWebhook'];

/**
 * The kubeadm `InitConfiguration` and `ClusterConfiguration` of a highly available cluster, from
 * document 004's inputs (endpoint, control-plane addresses, certificate SANs, subnets, etcd tuning)
 * with the CIS Kubernetes Benchmark v1.8.0 control-plane defaults:
 * - API server: authorization `Node,RBAC` (1.2.6–1.2.8), `NodeRestriction` and
 *   `DenyServiceExternalIPs` admission (1.2.15, 1.2.3), PodSecurityPolicy refused with the fix,
 *   profiling off (1.2.16), audit log with rotation (1.2.17–1.2.20) and the {@link AuditPolicy},
 *   service-account lookup (1.2.22), kubelet serving certificates checked against the cluster CA
 *   (1.2.5), {@link EncryptionAtRest} (1.2.28), forward-secret ciphers only (1.2.30), and the
 *   {@link PodSecurityAdmissionDefaults}; their files are mounted read-only into the API server pod.
 * - Controller manager: profiling off (1.3.2), per-controller service-account credentials (1.3.3),
 *   bound to 127.0.0.1 (1.3.7). Scheduler: profiling off (1.4.1), bound to 127.0.0.1 (1.4.2).
 * - etcd: metrics on 127.0.0.1 instead of document 004's 0.0.0.0, forward-secret ciphers.
 * The kubeadm API version follows the target release. No bootstrap token is written: kubeadm
 * generates one at `init`. Put {@link KubeletHardening} and {@link KubeProxyHardening} in the same chart.
 */
export class KubeadmConfiguration extends Construct {
  /** The release, and the kubeadm API it is configured with. */
  public readonly release: KubernetesRelease;
  /** The load-balanced endpoint, `host:port`. */
  public readonly controlPlaneEndpoint: string;
  /** The control-plane nodes; the first runs `kubeadm init`. */
  public readonly controlPlaneNodes: readonly KubeadmControlPlaneNode[];
  /** The port each API server binds. */
  public readonly apiServerBindPort: number;
  /** The CRI socket. */
  public readonly criSocket: string;
  /** The kubelet flags every node gets. */
  public readonly kubeletExtraArgs: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: KubeadmConfigurationProps) {
    super(scope, id);
    this.release = parseKubernetesRelease(this, 'kubernetesVersion', props.kubernetesVersion);
    const apiVersion = this.release.kubeadmApiVersion;
    const clusterName = props.clusterName ?? 'kubernetes';
    validateDns1123Subdomain(this, 'clusterName', clusterName);

    const endpoint = this.requireHostPort('controlPlaneEndpoint', props.controlPlaneEndpoint);
    this.controlPlaneEndpoint = props.controlPlaneEndpoint;
    this.apiServerBindPort = props.apiServerBindPort ?? 6443;
    validatePortNumber(this, 'apiServerBindPort', this.apiServerBindPort);

    this.controlPlaneNodes = this.requireControlPlaneNodes(props.controlPlaneNodes);
    const sans = [endpoint.host, ...this.controlPlaneNodes.map((n) => n.address), ...(props.certSans ?? [])];
    for (const san of props.certSans ?? []) {
      if (!ipaddr.isValid(san) && !isDns1123Subdomain(san.replace(/^\*\./, 'wildcard.'))) {
        fail(this, `certSans entry ${show(san)} is neither an IP address nor a DNS name: write e.g. 'k8s-api.company.com' or '10.0.1.10'.`);
      }
    }
    const certSans = [...new Set(sans)];

    const serviceSubnet = requireCidr(this, 'serviceSubnet', props.serviceSubnet ?? '10.96.0.0/12');
    const podSubnet = requireCidr(this, 'podSubnet', props.podSubnet);
    if (cidrsOverlap(serviceSubnet, podSubnet)) {
      fail(this, `serviceSubnet ${show(serviceSubnet.text)} overlaps podSubnet ${show(podSubnet.text)}: Service and pod addresses would collide; pick disjoint ranges, e.g. '10.96.0.0/12' and '10.244.0.0/16'.`);
    }
    const dnsDomain = props.dnsDomain ?? 'cluster.local';
    validateDns1123Subdomain(this, 'dnsDomain', dnsDomain);

    this.criSocket = props.criSocket ?? 'unix:///var/run/containerd/containerd.sock';
    if (!/^unix:\/\/\/[^\s]+$/.test(this.criSocket)) fail(this, `criSocket ${show(this.criSocket)} must be a unix socket URL: write e.g. 'unix:///var/run/containerd/containerd.sock'.`);
    this.kubeletExtraArgs = {
      ...requireKubeletExtraArgs(this, 'kubeletExtraArgs', props.kubeletExtraArgs ?? {}),
      ...((props.externalCloudProvider ?? false) ? { 'cloud-provider': 'external' } : {}),
    };
    if (props.kubeletExtraArgs?.['cloud-provider'] !== undefined) {
      fail(this, `kubeletExtraArgs sets 'cloud-provider' (${show(props.kubeletExtraArgs['cloud-provider'])}): use externalCloudProvider: true instead (in-tree cloud providers are gone).`);
    }

    const ciphers = requireForwardSecretCipherSuites(this, 'tlsCipherSuites', props.tlsCipherSuites ?? FORWARD_SECRET_CIPHER_SUITES).join(',');
    const admissionPlugins = this.requireAdmissionPlugins(props.admissionPlugins ?? ['NodeRestriction', 'DenyServiceExternalIPs']);
    const auditLog = props.auditLog ?? {};
    const auditDir = requireNodePath(this, 'auditLog.directory', auditLog.directory ?? '/var/log/kubernetes/audit');
    const maxAge = auditLog.maxAgeDays ?? 30;
    const maxBackups = auditLog.maxBackups ?? 10;
    const maxSize = auditLog.maxSizeMegabytes ?? 100;
    validateInteger(this, 'auditLog.maxAgeDays', maxAge, 30, 3650);
    validateInteger(this, 'auditLog.maxBackups', maxBackups, 10, 1000);
    validateInteger(this, 'auditLog.maxSizeMegabytes', maxSize, 100, 10000);

    const apiServerArgs: Record<string, string> = {
      'admission-control-config-file': props.podSecurityAdmission.nodePath,
      'audit-log-maxage': String(maxAge),
      'audit-log-maxbackup': String(maxBackups),
      'audit-log-maxsize': String(maxSize),
      'audit-log-path': `${auditDir}/audit.log`,
      'audit-policy-file': props.auditPolicy.nodePath,
      'authorization-mode': 'Node,RBAC',
      'enable-admission-plugins': admissionPlugins.join(','),
      'encryption-provider-config': props.encryptionAtRest.nodePath,
      'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
      'profiling': 'false',
      'service-account-lookup': 'true',
      'tls-cipher-suites': ciphers,
      'tls-min-version': 'VersionTLS12',
    };
    const controllerManagerArgs: Record<string, string> = {
      'bind-address': bindAddress(this, 'controllerManagerEndpoint', props.controllerManagerEndpoint),
      'cluster-signing-duration': goDuration(this, 'clusterSigningDuration', props.clusterSigningDuration ?? Duration.days(365), 3600),
      'profiling': 'false',
      'tls-cipher-suites': ciphers,
      'tls-min-version': 'VersionTLS12',
      'use-service-account-credentials': 'true',
    };
    const schedulerArgs: Record<string, string> = {
      'bind-address': bindAddress(this, 'schedulerEndpoint', props.schedulerEndpoint),
      'profiling': 'false',
      'tls-cipher-suites': ciphers,
      'tls-min-version': 'VersionTLS12',
    };
    const etcd = props.etcd ?? {};
    const retention = etcd.autoCompactionRetentionHours ?? 1;
    validateInteger(this, 'etcd.autoCompactionRetentionHours', retention, 1, 24 * 30);
    const quota = etcd.quotaBackendBytes ?? 6442450944;
    validateInteger(this, 'etcd.quotaBackendBytes', quota, 2 ** 30, 8 * 2 ** 30);
    const maxRequest = etcd.maxRequestBytes ?? 33554432;
    validateInteger(this, 'etcd.maxRequestBytes', maxRequest, 1572864, 64 * 2 ** 20);
    const etcdArgs: Record<string, string> = {
      'auto-compaction-mode': 'periodic',
      'auto-compaction-retention': `${retention}h`,
      'cipher-suites': ciphers,
      'listen-metrics-urls': `http://${hostPort(bindAddress(this, 'etcdMetricsEndpoint', props.etcdMetricsEndpoint), 2381)}`,
      'max-request-bytes': String(maxRequest),
      'quota-backend-bytes': String(quota),
    };

    const volumes = [
      { name: 'audit-policy', hostPath: props.auditPolicy.nodePath, mountPath: props.auditPolicy.nodePath, readOnly: true, pathType: 'File' },
      { name: 'audit-log', hostPath: auditDir, mountPath: auditDir, readOnly: false, pathType: 'DirectoryOrCreate' },
      { name: 'encryption-configuration', hostPath: props.encryptionAtRest.nodePath, mountPath: props.encryptionAtRest.nodePath, readOnly: true, pathType: 'File' },
      { name: 'admission-configuration', hostPath: props.podSecurityAdmission.nodePath, mountPath: props.podSecurityAdmission.nodePath, readOnly: true, pathType: 'File' },
      ...props.encryptionAtRest.kmsSocketPaths.map((socket, i) => {
        const dir = socket.slice(0, socket.lastIndexOf('/'));
        return { name: `kms-plugin-${i}`, hostPath: dir, mountPath: dir, readOnly: false, pathType: 'DirectoryOrCreate' };
      }),
    ];

    const first = this.controlPlaneNodes[0];
    addConfigDocument(this, 'Init', apiVersion, 'InitConfiguration', {
      localAPIEndpoint: { advertiseAddress: first.address, bindPort: this.apiServerBindPort },
      nodeRegistration: this.nodeRegistration(first.name),
    });
    addConfigDocument(this, 'Cluster', apiVersion, 'ClusterConfiguration', {
      kubernetesVersion: this.release.text,
      clusterName,
      controlPlaneEndpoint: props.controlPlaneEndpoint,
      networking: { serviceSubnet: serviceSubnet.text, podSubnet: podSubnet.text, dnsDomain },
      apiServer: {
        certSANs: certSans,
        extraArgs: this.merge('apiServerExtraArgs', apiServerArgs, props.apiServerExtraArgs),
        extraVolumes: volumes,
      },
      controllerManager: { extraArgs: this.merge('controllerManagerExtraArgs', controllerManagerArgs, props.controllerManagerExtraArgs) },
      scheduler: { extraArgs: this.merge('schedulerExtraArgs', schedulerArgs, props.schedulerExtraArgs) },
      etcd: { local: { dataDir: '/var/lib/etcd', extraArgs: kubeadmArgs(apiVersion, etcdArgs) } },
    });
  }

  /** The `nodeRegistration` block of a node's init or join document. */
  public nodeRegistration(name?: string): Record<string, unknown> {
    return {
      name,
      criSocket: this.criSocket,
      kubeletExtraArgs: Object.keys(this.kubeletExtraArgs).length === 0
        ? undefined
        : kubeadmArgs(this.release.kubeadmApiVersion, { ...this.kubeletExtraArgs }),
    };
  }

  private merge(what: string, managed: Record<string, string>, extra: Record<string, string> | undefined) {
    for (const [name, value] of Object.entries(extra ?? {})) {
      if (name.startsWith('-')) fail(this, `${what} key ${show(name)} starts with '-': write the flag name alone, e.g. 'request-timeout'.`);
      if (name in managed) {
        fail(this, `${what} sets ${show(name)} (${show(value)}), which this construct sets to ${show(managed[name])} for hardening: change it through the matching prop, or remove it.`);
      }
      if (name === 'token-auth-file') {
        fail(this, `${what} sets 'token-auth-file' (CIS 1.2.2: static tokens never expire and cannot be revoked without a restart): use client certificates or an OIDC issuer instead.`);
      }
    }
    return kubeadmArgs(this.release.kubeadmApiVersion, { ...managed, ...(extra ?? {}) });
  }

  private requireHostPort(what: string, text: string): { host: string; port: number } {
    const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):(\d+)$/.exec(text);
    const host = m?.[1].replace(/^\[|\]$/g, '');
    if (m === null || host === undefined || (!ipaddr.isValid(host) && !isDns1123Subdomain(host))) {
      fail(this, `${what} ${show(text)} is not 'host:port': write e.g. 'k8s-api.company.com:6443'.`);
    }
    const port = Number(m[2]);
    validatePortNumber(this, `${what} port`, port);
    return { host, port };
  }

  private requireControlPlaneNodes(nodes: readonly KubeadmControlPlaneNode[]): KubeadmControlPlaneNode[] {
    if (nodes.length === 0) fail(this, 'controlPlaneNodes is empty: list the control-plane nodes, e.g. [{ address: \'10.0.1.10\' }].');
    if (nodes.length % 2 === 0) {
      fail(this, `controlPlaneNodes lists ${nodes.length} nodes: etcd needs a majority, so ${nodes.length} nodes survive no more failures than ${nodes.length - 1}; use an odd number (1, 3 or 5).`);
    }
    const seen = new Set<string>();
    return nodes.map((n, i) => {
      if (!ipaddr.isValid(n.address)) fail(this, `controlPlaneNodes[${i}].address ${show(n.address)} is not an IP address: write the node's address, e.g. '10.0.1.10'.`);
      const address = ipaddr.parse(n.address).toString();
      if (address === '0.0.0.0' || address === '::' || ipaddr.parse(address).range() === 'loopback') {
        fail(this, `controlPlaneNodes[${i}].address ${show(n.address)} cannot be advertised to other nodes: use the node's own address, e.g. '10.0.1.10'.`);
      }
      if (seen.has(address)) fail(this, `controlPlaneNodes lists ${show(address)} twice: give each node its own address.`);
      seen.add(address);
      if (n.name !== undefined) validateDns1123Subdomain(this, `controlPlaneNodes[${i}].name`, n.name);
      return { address, name: n.name };
    });
  }

  private requireAdmissionPlugins(plugins: readonly string[]): string[] {
    const out: string[] = [];
    for (const p of plugins) {
      if (p === 'PodSecurityPolicy') {
        fail(this, `admissionPlugins includes 'PodSecurityPolicy', which Kubernetes 1.25 removed (kube-apiserver ${this.release.text} refuses to start with it): drop it; Pod Security Admission is on by default and PodSecurityAdmissionDefaults sets its cluster-wide levels.`);
      }
      if (p === 'SecurityContextDeny') {
        fail(this, 'admissionPlugins includes \'SecurityContextDeny\', which is deprecated (removed in 1.30): drop it; PodSecurityAdmissionDefaults enforces the restricted profile.');
      }
      if (p === 'AlwaysAdmit' || p === 'AlwaysDeny') {
        fail(this, `admissionPlugins includes ${show(p)}, a test plugin (CIS 1.2.10 forbids AlwaysAdmit): drop it.`);
      }
      if (PLUGINS_NEEDING_CONFIGURATION.includes(p)) {
        fail(this, `admissionPlugins includes ${show(p)}, which needs its own section in the admission configuration file, and this construct only writes the PodSecurity one: drop it, or configure it outside the library.`);
      }
      if (!KNOWN_ADMISSION_PLUGINS.includes(p)) {
        fail(this, `admissionPlugins includes ${show(p)}, which is not an admission plugin of kube-apiserver: use names such as 'NodeRestriction', 'DenyServiceExternalIPs', 'AlwaysPullImages'.`);
      }
      if (out.includes(p)) fail(this, `admissionPlugins lists ${show(p)} twice: list each plugin once.`);
      out.push(p);
    }
    if (!out.includes('NodeRestriction')) {
      fail(this, 'admissionPlugins leaves out \'NodeRestriction\' (CIS 1.2.15: without it a kubelet can modify any node and pod): add it.');
    }
    return out;
  }
}
