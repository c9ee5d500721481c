import { celEachContainer, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

// kube-apiserver 1.28's type checker has no type for resources.requests/limits (maps of
// Quantity): it reports "undefined field 'limits'" on them. `dyn()` defers just those lookups to
// evaluation; everything else stays typed.
const has = (c: string, section: string, param: string) =>
  `params.data.${param}.split(',').all(r, r == '' || (has(${c}.resources) && has(dyn(${c}.resources).${section}) && r in dyn(${c}.resources).${section}))`;

/** Every container sets cpu and memory requests and limits. */
export const containerResourcesRule: PolicyRule = {
  id: 'container-resources',
  kind: 'K8sContainerResources',
  description: 'Every container (init containers included) sets the required resource requests and limits.',
  fix: 'set resources.requests and resources.limits (cpu and memory) on every container',
  match: POD_CARRIERS,
  parameters: {
    requests: { description: 'Resources every container must request.', default: ['cpu', 'memory'] },
    limits: { description: 'Resources every container must limit.', default: ['cpu', 'memory'] },
  },
  validations: [{
    expression: (pod) => celEachContainer(pod.spec, (c) => has(c, 'requests', 'requests'), 'regular'),
    message: 'every container must set the requests of the requests parameter',
  }, {
    expression: (pod) => celEachContainer(pod.spec, (c) => has(c, 'limits', 'limits'), 'regular'),
    message: 'every container must set the limits of the limits parameter',
  }],
  rego: `package k8scontainerresources
${REGO_POD_HELPERS}
violation[{"msg": msg}] {
  c := regular_containers[_]
  r := input.parameters.requests[_]
  r != ""
  not c.resources.requests[r]
  msg := sprintf("container %v has no %v request", [c.name, r])
}

violation[{"msg": msg}] {
  c := regular_containers[_]
  r := input.parameters.limits[_]
  r != ""
  not c.resources.limits[r]
  msg := sprintf("container %v has no %v limit", [c.name, r])
}
`,
};
