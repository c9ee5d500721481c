import { celEachContainer, celIsWindows, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/**
 * Every container mounts its root filesystem read-only (the restricted PodSecurityPolicy's
 * `readOnlyRootFilesystem: true`, which Pod Security Admission does not carry on). Windows pods
 * are exempt: Windows containers cannot have a read-only root filesystem.
 */
export const readOnlyRootFilesystemRule: PolicyRule = {
  id: 'read-only-root-filesystem',
  kind: 'K8sReadOnlyRootFilesystem',
  description: 'Every container sets securityContext.readOnlyRootFilesystem to true.',
  fix: 'set securityContext.readOnlyRootFilesystem: true and mount an emptyDir where the process writes (/tmp, caches)',
  match: POD_CARRIERS,
  validations: [{
    expression: (pod) => `${celIsWindows(pod.spec)} || (${celEachContainer(pod.spec, (c) => `has(${c}.securityContext) && has(${c}.securityContext.readOnlyRootFilesystem) && ${c}.securityContext.readOnlyRootFilesystem == true`)})`,
    message: 'every container must set readOnlyRootFilesystem: true',
  }],
  rego: `package k8sreadonlyrootfilesystem
${REGO_POD_HELPERS}
violation[{"msg": msg}] {
  not is_windows
  c := all_containers[_]
  not c.securityContext.readOnlyRootFilesystem == true
  msg := sprintf("container %v must set securityContext.readOnlyRootFilesystem to true", [c.name])
}
`,
};
