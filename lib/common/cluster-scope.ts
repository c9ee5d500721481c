import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from './errors';

/**
 * Throws when `scope` sits in a chart with a namespace: cdk8s stamps the chart's namespace on
 * every object, and a cluster-scoped `kind` (IngressClass, ClusterIssuer, StorageClass, ...)
 * must not carry one. The one rule for every cluster-scoped construct: fail, never strip it.
 */
export function requireClusterScope(scope: IConstruct, kind: string): void {
  const namespace = Chart.of(scope).namespace;
  if (namespace !== undefined) {
    fail(scope, `${kind} is cluster-scoped, but its chart sets namespace ${show(namespace)}: create it in a chart without a namespace, e.g. the cluster baseline chart.`);
  }
}
