import { Construct } from 'constructs';
import { KUBE_DNS_NAMESPACE } from './dns';
import * as gnp from '../../imports/calico-globalnetworkpolicies-projectcalico.org';
import * as cnp from '../../imports/calico-networkpolicies-projectcalico.org';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../common/validation';

/**
 * Namespaces the cluster-wide default-deny leaves alone: cluster DNS and the Calico/Tigera
 * components must keep working while application namespaces are locked down.
 */
export const CALICO_SYSTEM_NAMESPACES: readonly string[] = ['calico-apiserver', 'calico-system', 'kube-system', 'tigera-operator'];

/** The Calico selector of cluster DNS pods. */
export const CALICO_KUBE_DNS_SELECTOR = 'k8s-app == "kube-dns"';

/** Props of {@link CalicoDefaultDeny}. */
export interface CalicoDefaultDenyProps {
  /**
   * Deny in this namespace only (a namespaced `NetworkPolicy`). Leave unset for the
   * cluster-wide `GlobalNetworkPolicy`.
   * @default - cluster-wide
   */
  readonly namespace?: string;
  /**
   * Namespaces the cluster-wide policy does not apply to (ignored for a namespaced policy).
   * The policy's `namespaceSelector` is
   * `has(projectcalico.org/name) && projectcalico.org/name not in {...}`, which also keeps it
   * off host endpoints (they have no namespace).
   * @default CALICO_SYSTEM_NAMESPACES
   */
  readonly excludedNamespaces?: readonly string[];
  /** Allow egress to cluster DNS (`k8s-app == "kube-dns"` in kube-system, UDP and TCP 53). @default true */
  readonly allowDns?: boolean;
  /** The policy name. @default 'default-deny' */
  readonly name?: string;
}

/**
 * A Calico default-deny: a policy with `selector: all()` and types Ingress and Egress, so every
 * selected endpoint drops whatever no other policy allows. Without a `namespace` it is a
 * `GlobalNetworkPolicy` that spares the system namespaces; with one, a namespaced
 * `NetworkPolicy`. Both keep cluster DNS open by default. No `order` is set, so Calico
 * evaluates it after every ordered policy (Kubernetes NetworkPolicies have order 1000).
 */
export class CalicoDefaultDeny extends Construct {
  /** The policy name. */
  public readonly name: string;
  /** The namespace, for a namespaced policy. */
  public readonly namespace?: string;
  /** The namespaces the cluster-wide policy spares (empty for a namespaced policy). */
  public readonly excludedNamespaces: readonly string[];
  /** Whether DNS egress is allowed. */
  public readonly allowDns: boolean;

  constructor(scope: Construct, id: string, props: CalicoDefaultDenyProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'default-deny';
    validateDns1123Subdomain(this, 'name', this.name);
    this.allowDns = props.allowDns ?? true;
    this.namespace = props.namespace;
    const types = ['Ingress', 'Egress'];

    if (this.namespace !== undefined) {
      validateDns1123Label(this, 'namespace', this.namespace);
      if (props.excludedNamespaces !== undefined) {
        fail(this, `excludedNamespaces ${show(props.excludedNamespaces)} only applies to the cluster-wide policy, but namespace ${show(this.namespace)} was given: remove one of the two.`);
      }
      this.excludedNamespaces = [];
      new cnp.NetworkPolicy(this, 'Resource', {
        metadata: { name: this.name, namespace: this.namespace },
        spec: {
          selector: 'all()',
          types: types as cnp.NetworkPolicySpecTypes[],
          egress: this.allowDns ? (['UDP', 'TCP'].map((protocol) => ({
            action: cnp.NetworkPolicySpecEgressAction.ALLOW,
            protocol: cnp.NetworkPolicySpecEgressProtocol.fromString(protocol),
            destination: dnsDestination(cnp.NetworkPolicySpecEgressDestinationPorts.fromNumber(53)),
          }))) : undefined,
        },
      });
      return;
    }

    requireClusterScope(this, 'GlobalNetworkPolicy');
    const excluded = [...new Set(props.excludedNamespaces ?? CALICO_SYSTEM_NAMESPACES)].sort();
    for (const ns of excluded) validateDns1123Label(this, 'excludedNamespaces entry', ns);
    if (this.allowDns && !excluded.includes(KUBE_DNS_NAMESPACE)) {
      fail(this, `excludedNamespaces ${show(excluded)} leaves out ${show(KUBE_DNS_NAMESPACE)}: the default-deny would cut cluster DNS off for every pod; keep ${show(KUBE_DNS_NAMESPACE)} in the list.`);
    }
    this.excludedNamespaces = excluded;
    new gnp.GlobalNetworkPolicy(this, 'Resource', {
      metadata: { name: this.name },
      spec: {
        selector: 'all()',
        namespaceSelector: excludedNamespacesSelector(excluded),
        types: types as gnp.GlobalNetworkPolicySpecTypes[],
        egress: this.allowDns ? (['UDP', 'TCP'].map((protocol) => ({
          action: gnp.GlobalNetworkPolicySpecEgressAction.ALLOW,
          protocol: gnp.GlobalNetworkPolicySpecEgressProtocol.fromString(protocol),
          destination: dnsDestination(gnp.GlobalNetworkPolicySpecEgressDestinationPorts.fromNumber(53)),
        }))) : undefined,
      },
    });
  }
}

/** `has(projectcalico.org/name) && projectcalico.org/name not in {"a", "b"}` (sorted). */
export function excludedNamespacesSelector(namespaces: readonly string[]): string {
  if (namespaces.length === 0) return 'has(projectcalico.org/name)';
  const list = [...namespaces].sort().map((n) => `"${n}"`).join(', ');
  return `has(projectcalico.org/name) && projectcalico.org/name not in {${list}}`;
}

function dnsDestination<P>(port: P) {
  return {
    selector: CALICO_KUBE_DNS_SELECTOR,
    namespaceSelector: `projectcalico.org/name == "${KUBE_DNS_NAMESPACE}"`,
    ports: [port],
  };
}
