import { celEachContainer, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/** No privileged containers, host namespaces, hostPath volumes or host ports. */
export const hostAccessRule: PolicyRule = {
  id: 'host-access',
  kind: 'K8sBlockHostAccess',
  description: 'Pods do not run privileged containers, share host namespaces, mount hostPath volumes or bind host ports.',
  fix: 'remove privileged: true, hostNetwork/hostPID/hostIPC, hostPath volumes and hostPort from the pod; use a Service, an emptyDir or a PersistentVolumeClaim instead',
  match: POD_CARRIERS,
  validations: [{
    expression: ({ spec }) => ['hostNetwork', 'hostPID', 'hostIPC'].map((f) => `!(has(${spec}.${f}) && ${spec}.${f} == true)`).join(' && '),
    message: 'the pod must not set hostNetwork, hostPID or hostIPC',
  }, {
    expression: ({ spec }) => celEachContainer(spec, (c) => `!(has(${c}.securityContext) && has(${c}.securityContext.privileged) && ${c}.securityContext.privileged == true)`),
    message: 'no container may be privileged',
  }, {
    expression: ({ spec }) => `!has(${spec}.volumes) || ${spec}.volumes.all(v, !has(v.hostPath))`,
    message: 'the pod must not mount hostPath volumes',
  }, {
    expression: ({ spec }) => celEachContainer(spec, (c) => `!has(${c}.ports) || ${c}.ports.all(p, !has(p.hostPort) || p.hostPort == 0)`),
    message: 'no container may bind a hostPort',
  }],
  rego: `package k8sblockhostaccess
${REGO_POD_HELPERS}
violation[{"msg": msg}] {
  ns := ["hostNetwork", "hostPID", "hostIPC"][_]
  pod_spec(input.review.object)[ns] == true
  msg := sprintf("the pod must not set %v", [ns])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.privileged == true
  msg := sprintf("container %v must not be privileged", [c.name])
}

violation[{"msg": msg}] {
  v := pod_spec(input.review.object).volumes[_]
  v.hostPath
  msg := sprintf("volume %v must not be a hostPath", [v.name])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  p := c.ports[_]
  p.hostPort != 0
  msg := sprintf("container %v must not bind hostPort %v", [c.name, p.hostPort])
}
`,
};
