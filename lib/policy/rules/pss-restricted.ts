import { celContainers, celOnPodSpec, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/** Fields a container's securityContext may hold, as CEL: `set(c, 'runAsNonRoot')`. */
const set = (holder: string, field: string) => `has(${holder}.securityContext) && has(${holder}.securityContext.${field})`;
const SECCOMP_OK = "['RuntimeDefault', 'Localhost']";
const VOLUMES_OK = "['name', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']";

/**
 * The container and pod fields of the Pod Security Standards *restricted* profile (Kubernetes
 * 1.28): no privilege escalation, all capabilities dropped (only NET_BIND_SERVICE added back),
 * non-root, not uid 0, a RuntimeDefault or Localhost seccomp profile, and only the allowed volume types.
 */
export const pssRestrictedRule: PolicyRule = {
  id: 'pss-restricted',
  kind: 'K8sPSSRestricted',
  description: 'Pods meet the container and pod fields of the Pod Security Standards restricted profile.',
  fix: 'keep the secure defaults of the guardrails constructs, or set allowPrivilegeEscalation: false, capabilities.drop: [ALL], runAsNonRoot: true, a non-zero runAsUser, seccompProfile.type: RuntimeDefault and only configMap/csi/downwardAPI/emptyDir/ephemeral/persistentVolumeClaim/projected/secret volumes',
  match: POD_CARRIERS,
  validations: [{
    expression: celOnPodSpec((s) => `${celContainers(s)}.all(c, ${set('c', 'allowPrivilegeEscalation')} && c.securityContext.allowPrivilegeEscalation == false)`),
    message: 'every container must set securityContext.allowPrivilegeEscalation to false',
  }, {
    expression: celOnPodSpec((s) => `${celContainers(s)}.all(c, ${set('c', 'capabilities')} && has(c.securityContext.capabilities.drop) && 'ALL' in c.securityContext.capabilities.drop`
      + " && (!has(c.securityContext.capabilities.add) || c.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE')))"),
    message: 'every container must drop ALL capabilities and may add back only NET_BIND_SERVICE',
  }, {
    expression: celOnPodSpec((s) => `!(${set(s, 'runAsNonRoot')} && ${s}.securityContext.runAsNonRoot == false)`
      + ` && ${celContainers(s)}.all(c, !(${set('c', 'runAsNonRoot')} && c.securityContext.runAsNonRoot == false))`
      + ` && ((${set(s, 'runAsNonRoot')} && ${s}.securityContext.runAsNonRoot == true)`
      + ` || ${celContainers(s)}.all(c, ${set('c', 'runAsNonRoot')} && c.securityContext.runAsNonRoot == true))`),
    message: 'the pod or every container must set securityContext.runAsNonRoot to true, and none may set it to false',
  }, {
    expression: celOnPodSpec((s) => `!(${set(s, 'runAsUser')} && ${s}.securityContext.runAsUser == 0)`
      + ` && ${celContainers(s)}.all(c, !(${set('c', 'runAsUser')} && c.securityContext.runAsUser == 0))`),
    message: 'neither the pod nor any container may set securityContext.runAsUser to 0',
  }, {
    expression: celOnPodSpec((s) => `(!(${set(s, 'seccompProfile')}) || ${s}.securityContext.seccompProfile.type in ${SECCOMP_OK})`
      + ` && ${celContainers(s)}.all(c, !(${set('c', 'seccompProfile')}) || c.securityContext.seccompProfile.type in ${SECCOMP_OK})`
      + ` && (${set(s, 'seccompProfile')} || ${celContainers(s)}.all(c, ${set('c', 'seccompProfile')}))`),
    message: 'the pod or every container must set securityContext.seccompProfile.type to RuntimeDefault or Localhost',
  }, {
    expression: celOnPodSpec((s) => `!has(${s}.volumes) || ${s}.volumes.all(v, v.all(k, k in ${VOLUMES_OK}))`),
    message: 'volumes must be of the types configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret',
  }],
  rego: `package k8spssrestricted
${REGO_POD_HELPERS}
allowed_seccomp := {"RuntimeDefault", "Localhost"}

allowed_volume_fields := {"name", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}

violation[{"msg": msg}] {
  c := all_containers[_]
  not c.securityContext.allowPrivilegeEscalation == false
  msg := sprintf("container %v must set securityContext.allowPrivilegeEscalation to false", [c.name])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  not drops_all(c)
  msg := sprintf("container %v must drop ALL capabilities", [c.name])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  added := c.securityContext.capabilities.add[_]
  added != "NET_BIND_SERVICE"
  msg := sprintf("container %v adds the capability %v; only NET_BIND_SERVICE is allowed", [c.name, added])
}

drops_all(c) {
  c.securityContext.capabilities.drop[_] == "ALL"
}

violation[{"msg": msg}] {
  pod_spec(input.review.object).securityContext.runAsNonRoot == false
  msg := "the pod must not set securityContext.runAsNonRoot to false"
}

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.runAsNonRoot == false
  msg := sprintf("container %v must not set securityContext.runAsNonRoot to false", [c.name])
}

violation[{"msg": msg}] {
  not pod_spec(input.review.object).securityContext.runAsNonRoot == true
  c := all_containers[_]
  not c.securityContext.runAsNonRoot == true
  msg := sprintf("container %v must run as non-root: set securityContext.runAsNonRoot to true on the pod or the container", [c.name])
}

violation[{"msg": msg}] {
  pod_spec(input.review.object).securityContext.runAsUser == 0
  msg := "the pod must not set securityContext.runAsUser to 0"
}

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.runAsUser == 0
  msg := sprintf("container %v must not set securityContext.runAsUser to 0", [c.name])
}

violation[{"msg": msg}] {
  t := pod_spec(input.review.object).securityContext.seccompProfile.type
  not allowed_seccomp[t]
  msg := sprintf("the pod seccompProfile type %v is not RuntimeDefault or Localhost", [t])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  t := c.securityContext.seccompProfile.type
  not allowed_seccomp[t]
  msg := sprintf("container %v seccompProfile type %v is not RuntimeDefault or Localhost", [c.name, t])
}

violation[{"msg": msg}] {
  not pod_spec(input.review.object).securityContext.seccompProfile
  c := all_containers[_]
  not c.securityContext.seccompProfile
  msg := sprintf("container %v has no seccompProfile and the pod sets none", [c.name])
}

violation[{"msg": msg}] {
  v := pod_spec(input.review.object).volumes[_]
  v[field]
  not allowed_volume_fields[field]
  msg := sprintf("volume %v uses the disallowed volume type %v", [v.name, field])
}
`,
};
