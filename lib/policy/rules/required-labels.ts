import { PolicyRule, TEMPLATED_WORKLOADS } from '../policy-rule';

/** Workloads in `production` carry `app`, `version` and `component` labels with values. */
export const requiredLabelsRule: PolicyRule = {
  id: 'required-labels',
  kind: 'K8sRequiredLabels',
  description: 'Deployments, StatefulSets and DaemonSets carry every required label with a non-empty value.',
  fix: 'set the missing labels on the workload (metadata.labels), e.g. through the construct\'s labels prop or ApiObject.metadata.addLabel()',
  match: TEMPLATED_WORKLOADS,
  defaultNamespaces: ['production'],
  parameters: {
    labels: { description: 'Label keys every matched object must carry.', default: ['app', 'version', 'component'] },
  },
  validations: [{
    expression: "params.data.labels.split(',').all(l, l == '' || (has(object.metadata.labels) && l in object.metadata.labels && object.metadata.labels[l] != ''))",
    message: 'every label of the labels parameter must be set and non-empty',
  }],
  rego: `package k8srequiredlabels

violation[{"msg": msg}] {
  provided := {label | input.review.object.metadata.labels[label] != ""}
  required := {label | label := input.parameters.labels[_]; label != ""}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("%v %v is missing the required labels %v", [input.review.object.kind, input.review.object.metadata.name, sort(missing)])
}
`,
};
