import { ApiObject, Chart } from 'cdk8s';
import { IWorkload } from '../workload/workload';
import { ExistingWorkload } from './existing-workload';
import { WorkloadNetworkPolicy } from './workload-network-policy';

/** Pods of another namespace (an ingress controller, Prometheus, a log aggregator), as a flow peer. */
export interface NamespacePeer {
  /** Their namespace. */
  readonly namespace: string;
  /** Their labels; leave out to match every pod of the namespace. @default - every pod of the namespace */
  readonly podLabels?: Record<string, string>;
}

/** The ingress-nginx controller of the official chart and manifests. */
export const DEFAULT_INGRESS_CONTROLLER: NamespacePeer = {
  namespace: 'ingress-nginx',
  podLabels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' },
};

/** Prometheus of kube-prometheus(-stack), as the documents install it. */
export const DEFAULT_PROMETHEUS: NamespacePeer = {
  namespace: 'monitoring',
  podLabels: { 'app.kubernetes.io/name': 'prometheus' },
};

/**
 * True when `workload`'s pods are isolated by NetworkPolicy as far as this app can tell: it has a
 * `WorkloadNetworkPolicy`, or its chart holds a NetworkPolicy of its namespace that selects every
 * pod (the default-deny of `RestrictedNamespace`). Only then do constructs open the flows they
 * imply: creating a policy for a workload that nothing isolates would cut its other traffic.
 */
export function isIsolated(workload: IWorkload): boolean {
  if (WorkloadNetworkPolicy.tryOf(workload) !== undefined) return true;
  return Chart.of(workload).node.findAll().some((c) => {
    if (!(c instanceof ApiObject) || c.kind !== 'NetworkPolicy' || c.apiVersion !== 'networking.k8s.io/v1') return false;
    if (c.metadata.namespace !== workload.namespace) return false;
    const selector = c.toJson().spec?.podSelector ?? {};
    return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
  });
}

/**
 * Opens the flow a construct implies from `peer` to `workload` on `port`, when the workload is
 * isolated (see {@link isIsolated}) and managed in this app (not an `ExistingWorkload`). Returns
 * whether it did; the whole-app wiring check reports the flows still missing.
 */
export function openImpliedIngress(workload: IWorkload, peer: NamespacePeer, port: string | number): boolean {
  if (workload instanceof ExistingWorkload || !isIsolated(workload)) return false;
  WorkloadNetworkPolicy.of(workload).allowFromNamespace(peer.namespace, {
    port,
    podSelector: peer.podLabels !== undefined && Object.keys(peer.podLabels).length > 0 ? peer.podLabels : undefined,
  });
  return true;
}
