import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { validateInteger } from '../common/validation';
import { goDuration as checkedGoDuration } from '../secrets/go-duration';
import { addConfigDocument } from './config-document';
import { FORWARD_SECRET_CIPHER_SUITES, requireForwardSecretCipherSuites } from './tls';

/** Hard eviction thresholds: the kubelet kills pods at once when a signal crosses one. */
export interface KubeletEvictionThresholds {
  /** Free memory, e.g. '500Mi'. @default '500Mi' */
  readonly memoryAvailable?: string;
  /** Free space on the node filesystem, e.g. '10%'. @default '10%' */
  readonly nodefsAvailable?: string;
  /** Free inodes on the node filesystem. @default '5%' */
  readonly nodefsInodesFree?: string;
  /** Free space on the image filesystem. @default '15%' */
  readonly imagefsAvailable?: string;
}

/** Props of {@link KubeletHardening}. */
export interface KubeletHardeningProps {
  /** The container runtime's socket. @default 'unix:///var/run/containerd/containerd.sock' */
  readonly containerRuntimeEndpoint?: string;
  /** The cgroup driver; must match the runtime's. @default 'systemd' */
  readonly cgroupDriver?: 'systemd' | 'cgroupfs';
  /** The resolv.conf pods inherit. @default '/run/systemd/resolve/resolv.conf' (the real upstreams with systemd-resolved, not its 127.0.0.53 stub) */
  readonly resolvConf?: string;
  /** Timeout of runtime calls other than long-running ones (image pulls of large images). @default Duration.minutes(15) */
  readonly runtimeRequestTimeout?: Duration;
  /** TLS cipher suites of the kubelet's server. @default FORWARD_SECRET_CIPHER_SUITES */
  readonly tlsCipherSuites?: readonly string[];
  /** Maximum processes per pod (CIS 4.2.13): a fork bomb stays inside its pod. @default 4096 */
  readonly podPidsLimit?: number;
  /** Idle timeout of exec/attach/port-forward streams (CIS 4.2.5: never 0). @default Duration.minutes(5) */
  readonly streamingConnectionIdleTimeout?: Duration;
  /** Events per second the kubelet may create; 0 removes the limit (CIS 4.2.8). @default 50 (the kubelet's own default; document 004's 0 lets an event storm flood etcd) */
  readonly eventRecordQps?: number;
  /** How long a node shutdown is delayed for pods to stop. @default Duration.seconds(60) */
  readonly shutdownGracePeriod?: Duration;
  /** The part of `shutdownGracePeriod` kept for critical pods. @default Duration.seconds(20) */
  readonly shutdownGracePeriodCriticalPods?: Duration;
  /** Hard eviction thresholds. @default - see {@link KubeletEvictionThresholds} */
  readonly evictionHard?: KubeletEvictionThresholds;
  /** Run every container with the runtime's default seccomp profile unless its pod says otherwise. @default true */
  readonly seccompDefault?: boolean;
}

/**
 * The kubelet's configuration (`kubelet.config.k8s.io/v1beta1` KubeletConfiguration — not the
 * kubeadm group document 004 gives it), hardened per the CIS Kubernetes Benchmark v1.8.0 section 4.2:
 * anonymous requests refused (4.2.1), webhook authentication and authorization against the API
 * server (4.2.2), client certificates checked against the cluster CA (4.2.3), the unauthenticated
 * read-only port closed (4.2.4), idle streams closed (4.2.5), iptables utility chains kept (4.2.6),
 * client and serving certificates rotated, serving ones signed by the cluster CA through
 * `serverTLSBootstrap` (4.2.10, 4.2.11: approve the kubelets' serving CSRs), forward-secret ciphers
 * only (4.2.12), a per-pod process limit (4.2.13); plus `protectKernelDefaults`, graceful node
 * shutdown, eviction thresholds and the RuntimeDefault seccomp profile for every container.
 * Put it in the same file as the cluster's {@link KubeadmConfiguration}: kubeadm hands it to every node.
 */
export class KubeletHardening extends Construct {
  constructor(scope: Construct, id: string, props: KubeletHardeningProps = {}) {
    super(scope, id);
    const endpoint = props.containerRuntimeEndpoint ?? 'unix:///var/run/containerd/containerd.sock';
    if (!/^unix:\/\/\/[^\s]+$/.test(endpoint)) fail(this, `containerRuntimeEndpoint ${show(endpoint)} must be a unix socket URL: write e.g. 'unix:///var/run/containerd/containerd.sock'.`);
    const cgroupDriver = props.cgroupDriver ?? 'systemd';
    if (cgroupDriver !== 'systemd' && cgroupDriver !== 'cgroupfs') fail(this, `cgroupDriver ${show(cgroupDriver)} must be 'systemd' or 'cgroupfs'.`);
    const podPidsLimit = props.podPidsLimit ?? 4096;
    validateInteger(this, 'podPidsLimit', podPidsLimit, 64, 4194304);
    const eventRecordQps = props.eventRecordQps ?? 50;
    validateInteger(this, 'eventRecordQps', eventRecordQps, 0, 1000);
    const goDuration = (what: string, d: Duration) => checkedGoDuration(this, what, d);
    // CIS 4.2.5: never 0, which keeps idle exec sessions open forever.
    const idle = goDuration('streamingConnectionIdleTimeout', props.streamingConnectionIdleTimeout ?? Duration.minutes(5));
    const shutdown = props.shutdownGracePeriod ?? Duration.seconds(60);
    const critical = props.shutdownGracePeriodCriticalPods ?? Duration.seconds(20);
    // Checked (whole units, in range) before the comparison below prints them in seconds.
    goDuration('shutdownGracePeriod', shutdown);
    goDuration('shutdownGracePeriodCriticalPods', critical);
    if (critical.toMilliseconds() > shutdown.toMilliseconds()) {
      fail(this, `shutdownGracePeriodCriticalPods (${critical.toSeconds()}s) is longer than shutdownGracePeriod (${shutdown.toSeconds()}s), of which it is a part: shorten it or lengthen shutdownGracePeriod.`);
    }
    const eviction = props.evictionHard ?? {};
    const evictionHard: Record<string, string> = {
      'memory.available': requireThreshold(this, 'evictionHard.memoryAvailable', eviction.memoryAvailable ?? '500Mi', true),
      'nodefs.available': requireThreshold(this, 'evictionHard.nodefsAvailable', eviction.nodefsAvailable ?? '10%', true),
      'nodefs.inodesFree': requireThreshold(this, 'evictionHard.nodefsInodesFree', eviction.nodefsInodesFree ?? '5%', false),
      'imagefs.available': requireThreshold(this, 'evictionHard.imagefsAvailable', eviction.imagefsAvailable ?? '15%', true),
    };
    addConfigDocument(this, 'Resource', 'kubelet.config.k8s.io/v1beta1', 'KubeletConfiguration', {
      authentication: {
        anonymous: { enabled: false },
        webhook: { enabled: true, cacheTTL: '2m0s' },
        x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' },
      },
      authorization: { mode: 'Webhook', webhook: { cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s' } },
      readOnlyPort: 0,
      streamingConnectionIdleTimeout: idle,
      makeIPTablesUtilChains: true,
      eventRecordQPS: eventRecordQps,
      rotateCertificates: true,
      serverTLSBootstrap: true,
      tlsCipherSuites: requireForwardSecretCipherSuites(this, 'tlsCipherSuites', props.tlsCipherSuites ?? FORWARD_SECRET_CIPHER_SUITES),
      tlsMinVersion: 'VersionTLS12',
      podPidsLimit,
      protectKernelDefaults: true,
      seccompDefault: props.seccompDefault ?? true,
      cgroupDriver,
      containerRuntimeEndpoint: endpoint,
      resolvConf: props.resolvConf ?? '/run/systemd/resolve/resolv.conf',
      runtimeRequestTimeout: goDuration('runtimeRequestTimeout', props.runtimeRequestTimeout ?? Duration.minutes(15)),
      shutdownGracePeriod: goDuration('shutdownGracePeriod', shutdown),
      shutdownGracePeriodCriticalPods: goDuration('shutdownGracePeriodCriticalPods', critical),
      evictionHard,
    });
  }
}

/** Kubelet flags removed from the releases these files target, and what replaces each. */
const REMOVED_KUBELET_FLAGS: Record<string, string> = {
  'container-runtime': "removed in 1.27 (the kubelet only speaks CRI): drop it",
  'container-runtime-endpoint': "deprecated in favour of the configuration field: set KubeletHardening's containerRuntimeEndpoint",
  'network-plugin': 'removed in 1.24 with dockershim: the CNI plugin is configured by the runtime; drop it',
  'cni-bin-dir': 'removed in 1.24 with dockershim: configure CNI paths in containerd; drop it',
  'cni-conf-dir': 'removed in 1.24 with dockershim: configure CNI paths in containerd; drop it',
  'cni-cache-dir': 'removed in 1.24 with dockershim: drop it',
  'docker-endpoint': 'removed in 1.24 with dockershim: use containerd; drop it',
  'image-pull-progress-deadline': 'removed in 1.24 with dockershim: drop it',
  'experimental-dockershim-root-directory': 'removed in 1.24 with dockershim: drop it',
  'non-masquerade-cidr': 'removed in 1.24: configure masquerading in the CNI; drop it',
  'dynamic-config-dir': 'removed in 1.24 (dynamic kubelet configuration is gone): drop it',
};

/** Kubelet flags whose hardened value {@link KubeletHardening} sets: a flag would override it. */
const HARDENED_KUBELET_FLAGS = [
  'anonymous-auth', 'authorization-mode', 'authentication-token-webhook', 'client-ca-file', 'read-only-port',
  'streaming-connection-idle-timeout', 'make-iptables-util-chains', 'rotate-certificates', 'tls-cipher-suites',
  'tls-min-version', 'protect-kernel-defaults', 'pod-max-pids', 'event-qps', 'seccomp-default',
];

/**
 * Checks kubelet flags passed through kubeadm's `kubeletExtraArgs` for `scope`: refuses flags the
 * target releases removed and flags that would override a KubeletHardening setting, each with its fix.
 */
export function requireKubeletExtraArgs(scope: IConstruct, what: string, args: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(args)) {
    if (name.startsWith('-')) fail(scope, `${what} key ${show(name)} starts with '-': write the flag name alone, e.g. 'node-labels'.`);
    const removed = REMOVED_KUBELET_FLAGS[name];
    if (removed !== undefined) fail(scope, `${what} sets kubelet flag ${show(name)} (${show(value)}), which is ${removed}.`);
    if (HARDENED_KUBELET_FLAGS.includes(name)) {
      fail(scope, `${what} sets kubelet flag ${show(name)} (${show(value)}), which would override the hardened KubeletConfiguration: change it through KubeletHardening's props instead, or remove it.`);
    }
  }
  return args;
}

function requireThreshold(scope: IConstruct, what: string, value: string, quantityAllowed: boolean): string {
  const percent = /^(\d+(\.\d+)?)%$/.exec(value);
  if (percent !== null && Number(percent[1]) > 0 && Number(percent[1]) < 100) return value;
  if (quantityAllowed && /^[1-9]\d*(Ki|Mi|Gi|Ti)?$/.test(value)) return value;
  fail(scope, `${what} ${show(value)} is not a threshold: write a percentage between 0 and 100 such as '10%'${quantityAllowed ? ", or a quantity such as '500Mi'" : ''}.`);
}
