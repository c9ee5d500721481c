import { PolicyRule, TEMPLATED_WORKLOADS } from '../policy-rule';

/** Long-running workloads declare liveness and readiness probes on every container. */
export const requiredProbesRule: PolicyRule = {
  id: 'required-probes',
  kind: 'K8sRequiredProbes',
  description: 'Every container of a Deployment, StatefulSet or DaemonSet declares a liveness and a readiness probe.',
  fix: 'add livenessProbe and readinessProbe to every container (an HTTP or TCP check on its port)',
  match: TEMPLATED_WORKLOADS,
  parameters: {
    probes: { description: 'Probe fields every container must set.', default: ['livenessProbe', 'readinessProbe'] },
  },
  validations: [{
    expression: "object.spec.template.spec.containers.all(c, params.data.probes.split(',').all(p, p == '' || p in c))",
    message: 'every container must declare the probes listed in the probes parameter (livenessProbe and readinessProbe by default)',
  }],
  rego: `package k8srequiredprobes

violation[{"msg": msg}] {
  c := input.review.object.spec.template.spec.containers[_]
  probe := input.parameters.probes[_]
  probe != ""
  not c[probe]
  msg := sprintf("container %v has no %v", [c.name, probe])
}
`,
};
