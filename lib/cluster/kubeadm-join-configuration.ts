import { Construct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain } from '../common/validation';
import { addConfigDocument } from './config-document';
import { KubeadmConfiguration } from './kubeadm-configuration';

/** Props of {@link KubeadmJoinConfiguration}. */
export interface KubeadmJoinConfigurationProps {
  /** The cluster the node joins. */
  readonly cluster: KubeadmConfiguration;
  /** Join as this control-plane node (one of the cluster's `controlPlaneNodes` after the first, by address). @default - a worker node */
  readonly controlPlaneAddress?: string;
  /** The node name. @default - the control-plane node's name, else the host name */
  readonly nodeName?: string;
  /**
   * The discovery kubeconfig: the cluster CA and API endpoint, plus the bootstrap token in its user
   * section, written by the installer at join time (`kubeadm token create` on a control-plane node);
   * an absolute path on the joining node, or an https URL. kubeadm checks that the file exists.
   * @default '/etc/kubernetes/discovery.kubeconfig'
   */
  readonly discoveryKubeconfig?: string;
}

/**
 * A kubeadm `JoinConfiguration` for one more control-plane node (its advertise address and bind
 * port) or for worker nodes, in the cluster's kubeadm API version, with the cluster's CRI socket and
 * kubelet flags. Discovery is by kubeconfig file: no bootstrap token or certificate key is ever
 * written (both are credentials); control-plane nodes get the shared certificates from the
 * installer, as with an external certificate authority.
 */
export class KubeadmJoinConfiguration extends Construct {
  /** Whether the node joins the control plane. */
  public readonly controlPlane: boolean;

  constructor(scope: Construct, id: string, props: KubeadmJoinConfigurationProps) {
    super(scope, id);
    const cluster = props.cluster;
    const discovery = props.discoveryKubeconfig ?? '/etc/kubernetes/discovery.kubeconfig';
    if (!/^(https:\/\/[^\s]+|\/[^\s]*[^/\s])$/.test(discovery)) {
      fail(this, `discoveryKubeconfig ${show(discovery)} must be an absolute path on the node or an https URL: write e.g. '/etc/kubernetes/discovery.kubeconfig'.`);
    }
    let node: { address: string; name?: string } | undefined;
    if (props.controlPlaneAddress !== undefined) {
      const address = ipaddr.isValid(props.controlPlaneAddress) ? ipaddr.parse(props.controlPlaneAddress).toString() : props.controlPlaneAddress;
      const index = cluster.controlPlaneNodes.findIndex((n) => n.address === address);
      const others = cluster.controlPlaneNodes.slice(1).map((n) => show(n.address)).join(', ') || 'none';
      if (index < 0) fail(this, `controlPlaneAddress ${show(props.controlPlaneAddress)} is not one of the cluster's controlPlaneNodes: use one of ${others}, or add it there.`);
      if (index === 0) fail(this, `controlPlaneAddress ${show(props.controlPlaneAddress)} is the first control-plane node, which runs 'kubeadm init' instead of joining: use one of ${others}.`);
      node = cluster.controlPlaneNodes[index];
    }
    const name = props.nodeName ?? node?.name;
    if (name !== undefined) validateDns1123Subdomain(this, 'nodeName', name);
    this.controlPlane = node !== undefined;
    addConfigDocument(this, 'Resource', cluster.release.kubeadmApiVersion, 'JoinConfiguration', {
      nodeRegistration: cluster.nodeRegistration(name),
      discovery: { file: { kubeConfigPath: discovery } },
      controlPlane: node === undefined ? undefined : { localAPIEndpoint: { advertiseAddress: node.address, bindPort: cluster.apiServerBindPort } },
    });
  }
}
