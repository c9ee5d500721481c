import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/**
 * Throws when `scope` sits in a chart with a namespace: cdk8s would stamp that namespace on
 * the cluster-scoped `kind`, which the API server rejects or ignores.
 */
export function requireClusterScopedChart(scope: IConstruct, kind: string): void {
  const namespace = Chart.of(scope).namespace;
  if (namespace !== undefined) {
    fail(scope, `${kind} is cluster-scoped but its chart sets namespace ${show(namespace)}: create it in a chart without a namespace (e.g. a separate cluster-level chart).`);
  }
}
