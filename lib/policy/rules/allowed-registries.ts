import { celEachContainer, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/** Images come from allowed registries (prefix match, so include the trailing `/`). */
export const allowedRegistriesRule: PolicyRule = {
  id: 'allowed-registries',
  kind: 'K8sAllowedRepos',
  description: 'Every container image starts with one of the allowed registry prefixes.',
  fix: 'pull the image from an allowed registry (mirror it there), or add its registry to the allowed list',
  match: POD_CARRIERS,
  enabledByDefault: false,
  parameters: {
    repos: { description: 'Allowed image prefixes, e.g. "myregistry.com/" (end with "/" to match a whole registry).', default: [] },
  },
  validations: [{
    expression: (pod) => celEachContainer(pod.spec, (c) => `params.data.repos.split(',').exists(r, r != '' && ${c}.image.startsWith(r))`),
    message: 'every image must start with a prefix of the repos parameter',
  }],
  rego: `package k8sallowedrepos
${REGO_POD_HELPERS}
allowed(image) {
  repo := input.parameters.repos[_]
  repo != ""
  startswith(image, repo)
}

violation[{"msg": msg}] {
  c := all_containers[_]
  not allowed(c.image)
  msg := sprintf("container %v image %v is not from an allowed registry %v", [c.name, c.image, input.parameters.repos])
}
`,
};
