import { PolicyRule, TEMPLATED_WORKLOADS } from '../policy-rule';

/** The probes a container can declare; the parameter may name only these (typed CEL tests each field by name). */
export const PROBE_FIELDS: readonly string[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

const hasProbe = (c: string, p: string) => PROBE_FIELDS.map((f) => `${p} == '${f}' ? has(${c}.${f}) : `).join('') + 'false';

/** Long-running workloads declare liveness and readiness probes on every container. */
export const requiredProbesRule: PolicyRule = {
  id: 'required-probes',
  kind: 'K8sRequiredProbes',
  description: 'Every container of a Deployment, StatefulSet or DaemonSet declares a liveness and a readiness probe.',
  fix: 'add livenessProbe and readinessProbe to every container (an HTTP or TCP check on its port)',
  match: TEMPLATED_WORKLOADS,
  parameters: {
    probes: { description: 'Probe fields every container must set (livenessProbe, readinessProbe, startupProbe).', default: ['livenessProbe', 'readinessProbe'], allowedValues: PROBE_FIELDS },
  },
  validations: [{
    expression: (pod) => `${pod.spec}.containers.all(c, params.data.probes.split(',').all(p, p == '' || (${hasProbe('c', 'p')})))`,
    message: 'every container must declare the probes of the probes parameter',
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
