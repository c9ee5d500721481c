import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/**
 * A component configuration document (kubeadm, kubelet, kube-proxy, API server files): it has
 * `apiVersion` and `kind` but no `metadata`, and the components decode it strictly, so the
 * `metadata` every cdk8s ApiObject carries is removed. The object's name only keeps cdk8s's
 * per-chart name check quiet; it is never written.
 */
export function addConfigDocument(scope: Construct, id: string, apiVersion: string, kind: string, body: Record<string, unknown>): ApiObject {
  const doc = new ApiObject(scope, id, { apiVersion, kind, metadata: { name: id.toLowerCase() }, ...body });
  doc.addJsonPatch(JsonPatch.remove('/metadata'));
  return doc;
}

/**
 * Component flags in the shape a kubeadm API version wants: a map in v1beta3, a list of
 * `{name, value}` from v1beta4. Sorted by name, so the output does not depend on insertion order.
 */
export function kubeadmArgs(apiVersion: string, args: Record<string, string>): Record<string, string> | { name: string; value: string }[] {
  const names = Object.keys(args).sort();
  if (apiVersion.endsWith('/v1beta3')) return Object.fromEntries(names.map((n) => [n, args[n]]));
  return names.map((name) => ({ name, value: args[name] }));
}
