import { ApiObject, Chart, JsonPatch } from 'cdk8s';

/**
 * Drops the chart's namespace from a cluster-scoped object (IngressClass, ClusterIssuer,
 * ClusterSecretStore): cdk8s stamps every object with its chart's namespace, which a
 * cluster-scoped object must not carry.
 */
export function markClusterScoped(obj: ApiObject): void {
  if (Chart.of(obj).namespace !== undefined) obj.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
}
