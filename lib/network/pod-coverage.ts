import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { selectorMatches } from './label-selector';
import { networkPoliciesOf, podsOf } from './manifests';

/**
 * The pods of `manifests` that no NetworkPolicy of their namespace selects, as
 * `<kind> '<namespace>/<name>'` strings (empty when every pod is covered).
 */
export function findUnselectedPods(manifests: readonly Record<string, any>[]): string[] {
  const policies = networkPoliciesOf(manifests);
  return podsOf(manifests)
    .filter((pod) => !policies.some((p) => p.namespace === pod.namespace && selectorMatches(p.podSelector, pod.labels)))
    .map((pod) => `${pod.kind} ${JSON.stringify(pod.id)}`)
    .sort();
}

/**
 * Adds a validation to `scope` (an App or a Chart) that fails synthesis when a pod template
 * emitted under it is selected by no NetworkPolicy of its namespace: such a pod would accept
 * and send any traffic.
 */
export function everyPodIsSelected(scope: IConstruct): void {
  scope.node.addValidation({
    validate: () => {
      const manifests = scope.node.findAll()
        .filter((c): c is ApiObject => c instanceof ApiObject)
        .map((o) => o.toJson());
      return findUnselectedPods(manifests).map((pod) =>
        `${pod} is selected by no NetworkPolicy, so nothing restricts its traffic: put it in a RestrictedNamespace (default-deny) or give it flows with WorkloadNetworkPolicy.of(workload).`);
    },
  });
}
