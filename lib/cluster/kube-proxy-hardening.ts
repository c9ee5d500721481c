import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { requireCidr } from '../network/cidr';
import { addConfigDocument } from './config-document';
import { ExposedEndpoint, bindAddress, hostPort } from './exposed-endpoint';

/** IPVS schedulers kube-proxy accepts. */
export type IpvsScheduler = 'rr' | 'lc' | 'dh' | 'sh' | 'sed' | 'nq';
const SCHEDULERS: readonly string[] = ['rr', 'lc', 'dh', 'sh', 'sed', 'nq'];

/** Props of {@link KubeProxyHardening}. */
export interface KubeProxyHardeningProps {
  /** The cluster's pod subnet: traffic from outside it to a Service is masqueraded. */
  readonly clusterCidr: string;
  /** The IPVS scheduler. @default 'rr' (document 004) */
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
 * mode with strict ARP (needed by MetalLB-style load balancers, as in document 004), the cluster CIDR,
 * and the metrics endpoint on 127.0.0.1 instead of document 004's 0.0.0.0. Put it in the same file
 * as the cluster's {@link KubeadmConfiguration}: kubeadm runs kube-proxy with it.
 */
export class KubeProxyHardening extends Construct {
  constructor(scope: Construct, id: string, props: KubeProxyHardeningProps) {
    super(scope, id);
    const cidr = requireCidr(this, 'clusterCidr', props.clusterCidr);
    const scheduler = props.ipvsScheduler ?? 'rr';
    if (!SCHEDULERS.includes(scheduler)) fail(this, `ipvsScheduler ${show(scheduler)} is not an IPVS scheduler kube-proxy accepts: use one of ${SCHEDULERS.map(show).join(', ')}.`);
    if (props.masqueradeAll !== undefined && props.masqueradeAll.reason.trim() === '') {
      fail(this, `masqueradeAll.reason is empty: say why every Service packet must be SNATed (it hides pod addresses from NetworkPolicies), or leave masqueradeAll unset.`);
    }
    addConfigDocument(this, 'Resource', 'kubeproxy.config.k8s.io/v1alpha1', 'KubeProxyConfiguration', {
      mode: 'ipvs',
      clusterCIDR: cidr.text,
      metricsBindAddress: hostPort(bindAddress(this, 'metricsEndpoint', props.metricsEndpoint), 10249),
      ipvs: { strictARP: true, scheduler },
      iptables: { masqueradeAll: props.masqueradeAll !== undefined },
    });
  }
}
