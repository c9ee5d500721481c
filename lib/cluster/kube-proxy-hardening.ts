import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { requireCidr } from '../network/cidr';
import { addConfigDocument } from './config-document';
import { ExposedEndpoint, bindAddress, hostPort } from './exposed-endpoint';
import { MIN_KUBERNETES_MINOR, parseKubernetesRelease } from './kubernetes-version';

/** IPVS schedulers kube-proxy accepts. */
export type IpvsScheduler = 'rr' | 'lc' | 'dh' | 'sh' | 'sed' | 'nq';
const SCHEDULERS: readonly string[] = ['rr', 'lc', 'dh', 'sh', 'sed', 'nq'];

/** How kube-proxy programs Service traffic. */
export type KubeProxyMode = 'ipvs' | 'nftables' | 'iptables';

/** Props of {@link KubeProxyHardening}. */
export interface KubeProxyHardeningProps {
  /** The cluster's pod subnet: traffic from outside it to a Service is masqueraded. */
  readonly clusterCidr: string;
  /** The Kubernetes release the nodes run, e.g. 'v1.37.2': picks the default mode. @default - a 1.28 release */
  readonly kubernetesVersion?: string;
  /**
   * The proxy mode. nftables needs 1.31 or later (GA in 1.33).
   * @default 'ipvs' before 1.33 (document 004), 'nftables' from 1.33 (ipvs is deprecated from 1.35)
   */
  readonly mode?: KubeProxyMode;
  /** The IPVS scheduler, in ipvs mode only. @default 'rr' (document 004) */
  readonly ipvsScheduler?: IpvsScheduler;
  /** Expose the metrics endpoint (port 10249) beyond 127.0.0.1. @default - 127.0.0.1 only */
  readonly metricsEndpoint?: ExposedEndpoint;
  /**
   * SNAT every packet to a Service, with the reason. @default - only traffic from outside
   * `clusterCidr` (document 004's `masqueradeAll: true` hides pod source addresses behind node
   * addresses, which breaks NetworkPolicies that allow traffic from selected pods)
   */
  readonly masqueradeAll?: { readonly reason: string };
}

/**
 * kube-proxy's configuration (`kubeproxy.config.k8s.io/v1alpha1` KubeProxyConfiguration): IPVS
 * mode with strict ARP (needed by MetalLB-style load balancers, as in document 004) before 1.33,
 * nftables from 1.33 (kubeadm 1.35+ warns that ipvs is deprecated), the cluster CIDR, and the
 * metrics endpoint on 127.0.0.1 instead of document 004's 0.0.0.0. Put it in the same file as the
 * cluster's {@link KubeadmConfiguration}: kubeadm runs kube-proxy with it.
 */
export class KubeProxyHardening extends Construct {
  constructor(scope: Construct, id: string, props: KubeProxyHardeningProps) {
    super(scope, id);
    const cidr = requireCidr(this, 'clusterCidr', props.clusterCidr);
    const minor = props.kubernetesVersion === undefined ? MIN_KUBERNETES_MINOR : parseKubernetesRelease(this, 'kubernetesVersion', props.kubernetesVersion).minor;
    const mode = props.mode ?? (minor >= 33 ? 'nftables' : 'ipvs');
    if (!['ipvs', 'nftables', 'iptables'].includes(mode)) fail(this, `mode ${show(mode)} is not a kube-proxy mode: use 'nftables', 'ipvs' or 'iptables'.`);
    if (mode === 'nftables' && minor < 31) {
      fail(this, `mode 'nftables' needs Kubernetes 1.31 or later (beta in 1.31, GA in 1.33), but the nodes run 1.${minor}: use 'ipvs' or 'iptables', or upgrade.`);
    }
    if (mode !== 'ipvs' && props.ipvsScheduler !== undefined) {
      fail(this, `ipvsScheduler ${show(props.ipvsScheduler)} only applies in ipvs mode, and mode is ${show(mode)}: remove it, or set mode: 'ipvs'.`);
    }
    const scheduler = props.ipvsScheduler ?? 'rr';
    if (!SCHEDULERS.includes(scheduler)) fail(this, `ipvsScheduler ${show(scheduler)} is not an IPVS scheduler kube-proxy accepts: use one of ${SCHEDULERS.map(show).join(', ')}.`);
    if (props.masqueradeAll !== undefined && props.masqueradeAll.reason.trim() === '') {
      fail(this, `masqueradeAll.reason is empty: say why every Service packet must be SNATed (it hides pod addresses from NetworkPolicies), or leave masqueradeAll unset.`);
    }
    addConfigDocument(this, 'Resource', 'kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration', {
      mode,
      clusterCIDR: cidr.text,
      metricsBindAddress: hostPort(bindAddress(this, 'metricsEndpoint', props.metricsEndpoint), 10249),
      ipvs: mode === 'ipvs' ? { strictARP: true, scheduler } : undefined,
      // ipvs mode takes its masquerading settings from the iptables block.
      [mode === 'nftables' ? 'nftables' : 'iptables']: { masqueradeAll: props.masqueradeAll !== undefined },
    });
  }
}
