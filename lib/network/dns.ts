/** The namespace cluster DNS runs in. */
export const KUBE_DNS_NAMESPACE = 'kube-system';

/** The pod label cluster DNS (CoreDNS or kube-dns) carries. */
export const KUBE_DNS_LABELS: Readonly<Record<string, string>> = { 'k8s-app': 'kube-dns' };

/** The label Kubernetes (1.22+) sets on every namespace with the namespace's name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** The Kubernetes NetworkPolicy egress rule that lets pods resolve names: kube-dns on UDP and TCP 53. */
export function dnsEgressRule(): Record<string, unknown> {
  return {
    to: [{
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_DNS_NAMESPACE } },
      podSelector: { matchLabels: { ...KUBE_DNS_LABELS } },
    }],
    ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
  };
}
