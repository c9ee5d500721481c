import { BASELINE_SAFE_SYSCTLS, BASELINE_SELINUX_TYPES, RESTRICTED_VOLUME_TYPES } from '../pod-security-standards';
import { celEachContainer, celIsWindows, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS, VOLUME_SOURCES } from '../policy-rule';

/** CEL: `holder.securityContext.<field>` is set. */
const set = (holder: string, field: string) => `has(${holder}.securityContext) && has(${holder}.securityContext.${field})`;
/** CEL: `holder.securityContext.<field> == value` (false when unset). */
const is = (holder: string, field: string, value: string) => `(${set(holder, field)} && ${holder}.securityContext.${field} == ${value})`;
const list = (values: readonly string[]) => `[${values.map((v) => `'${v}'`).join(', ')}]`;
const SECCOMP_OK = "['RuntimeDefault', 'Localhost']";
const FORBIDDEN_VOLUMES = VOLUME_SOURCES.filter((s) => !RESTRICTED_VOLUME_TYPES.includes(s));
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** CEL: the seLinuxOptions of `holder` (pod spec or container) are allowed by baseline. */
const seLinuxOk = (h: string) => `!(${set(h, 'seLinuxOptions')}) || ((!has(${h}.securityContext.seLinuxOptions.type) || ${h}.securityContext.seLinuxOptions.type in ${list(['', ...BASELINE_SELINUX_TYPES])})`
  + ` && (!has(${h}.securityContext.seLinuxOptions.user) || ${h}.securityContext.seLinuxOptions.user == '')`
  + ` && (!has(${h}.securityContext.seLinuxOptions.role) || ${h}.securityContext.seLinuxOptions.role == ''))`;
const hostProcess = (h: string) => `(${set(h, 'windowsOptions')} && has(${h}.securityContext.windowsOptions.hostProcess) && ${h}.securityContext.windowsOptions.hostProcess == true)`;

/**
 * The Pod Security Standards *restricted* profile of policy version v1.28, baseline controls
 * included, as Pod Security Admission applies it: no privileged or HostProcess containers, host
 * namespaces or host ports; only the allowed /proc mount, sysctls, SELinux options, AppArmor
 * profiles and volume types; no privilege escalation, all capabilities dropped (only
 * NET_BIND_SERVICE added back), non-root, not uid 0, a RuntimeDefault or Localhost seccomp
 * profile. Windows pods are exempt from the escalation, capabilities and seccomp controls.
 */
export const pssRestrictedRule: PolicyRule = {
  id: 'pss-restricted',
  kind: 'K8sPSSRestricted',
  description: 'Pods meet the Pod Security Standards restricted profile (v1.28, baseline controls included).',
  fix: 'keep the secure defaults of the guardrails constructs, or set allowPrivilegeEscalation: false, capabilities.drop: [ALL], runAsNonRoot: true, a non-zero runAsUser, seccompProfile.type: RuntimeDefault, no privileged/host access, default procMount/SELinux/AppArmor, only safe sysctls and only configMap/csi/downwardAPI/emptyDir/ephemeral/persistentVolumeClaim/projected/secret volumes',
  match: POD_CARRIERS,
  validations: [{
    expression: ({ spec }) => celEachContainer(spec, (c) => `!${is(c, 'privileged', 'true')}`),
    message: 'no container may be privileged',
  }, {
    expression: ({ spec }) => ['hostNetwork', 'hostPID', 'hostIPC'].map((f) => `!(has(${spec}.${f}) && ${spec}.${f} == true)`).join(' && '),
    message: 'the pod must not use host namespaces',
  }, {
    expression: ({ spec }) => celEachContainer(spec, (c) => `!has(${c}.ports) || ${c}.ports.all(p, !has(p.hostPort) || p.hostPort == 0)`),
    message: 'no container may bind a hostPort',
  }, {
    expression: ({ spec }) => `!${hostProcess(spec)} && (${celEachContainer(spec, (c) => `!${hostProcess(c)}`)})`,
    message: 'no HostProcess containers',
  }, {
    expression: ({ spec }) => celEachContainer(spec, (c) => `!(${set(c, 'procMount')}) || ${c}.securityContext.procMount == 'Default'`),
    message: 'procMount must be Default',
  }, {
    expression: ({ spec }) => `!(${set(spec, 'sysctls')}) || ${spec}.securityContext.sysctls.all(s, s.name in ${list(BASELINE_SAFE_SYSCTLS)})`,
    message: 'only safe sysctls are allowed',
  }, {
    expression: ({ spec }) => `(${seLinuxOk(spec)}) && (${celEachContainer(spec, (c) => seLinuxOk(c))})`,
    message: 'seLinuxOptions may set only an allowed type',
  }, {
    expression: ({ metadata }) => `!has(${metadata}) || !has(${metadata}.annotations) || ${metadata}.annotations.all(k, !k.startsWith('${APPARMOR_PREFIX}')`
      + ` || ${metadata}.annotations[k] == '' || ${metadata}.annotations[k] == 'runtime/default' || ${metadata}.annotations[k].startsWith('localhost/'))`,
    message: 'AppArmor profiles must be runtime/default or localhost/*',
  }, {
    expression: ({ spec }) => `!has(${spec}.volumes) || ${spec}.volumes.all(v, ${FORBIDDEN_VOLUMES.map((s) => `!has(v.${s})`).join(' && ')})`,
    message: 'volumes must be of a restricted type',
  }, {
    expression: ({ spec }) => `${celIsWindows(spec)} || (${celEachContainer(spec, (c) => is(c, 'allowPrivilegeEscalation', 'false'))})`,
    message: 'allowPrivilegeEscalation must be false',
  }, {
    expression: ({ spec }) => `${celIsWindows(spec)} || (${celEachContainer(spec, (c) => `has(${c}.securityContext) && has(${c}.securityContext.capabilities)`
      + ` && has(${c}.securityContext.capabilities.drop) && 'ALL' in ${c}.securityContext.capabilities.drop`
      + ` && (!has(${c}.securityContext.capabilities.add) || ${c}.securityContext.capabilities.add.all(a, a == 'NET_BIND_SERVICE'))`)})`,
    message: 'capabilities must drop ALL and add only NET_BIND_SERVICE',
  }, {
    expression: ({ spec }) => `!${is(spec, 'runAsNonRoot', 'false')} && (${celEachContainer(spec, (c) => `!${is(c, 'runAsNonRoot', 'false')}`)})`
      + ` && (${is(spec, 'runAsNonRoot', 'true')} || (${celEachContainer(spec, (c) => is(c, 'runAsNonRoot', 'true'))}))`,
    message: 'runAsNonRoot must be true',
  }, {
    expression: ({ spec }) => `!${is(spec, 'runAsUser', '0')} && (${celEachContainer(spec, (c) => `!${is(c, 'runAsUser', '0')}`)})`,
    message: 'runAsUser must not be 0',
  }, {
    expression: ({ spec }) => `${celIsWindows(spec)} || ((!(${set(spec, 'seccompProfile')}) || ${spec}.securityContext.seccompProfile.type in ${SECCOMP_OK})`
      + ` && (${celEachContainer(spec, (c) => `!(${set(c, 'seccompProfile')}) || ${c}.securityContext.seccompProfile.type in ${SECCOMP_OK}`)})`
      + ` && (${set(spec, 'seccompProfile')} || (${celEachContainer(spec, (c) => set(c, 'seccompProfile'))})))`,
    message: 'seccompProfile must be RuntimeDefault or Localhost',
  }],
  rego: `package k8spssrestricted
${REGO_POD_HELPERS}
allowed_seccomp := {"RuntimeDefault", "Localhost"}

forbidden_volume_types := {${FORBIDDEN_VOLUMES.map((v) => `"${v}"`).join(', ')}}

safe_sysctls := {${BASELINE_SAFE_SYSCTLS.map((v) => `"${v}"`).join(', ')}}

allowed_selinux_types := {${['', ...BASELINE_SELINUX_TYPES].map((v) => `"${v}"`).join(', ')}}

spec := pod_spec(input.review.object)

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.privileged == true
  msg := sprintf("container %v must not be privileged", [c.name])
}

violation[{"msg": msg}] {
  f := ["hostNetwork", "hostPID", "hostIPC"][_]
  spec[f] == true
  msg := sprintf("the pod must not set %v", [f])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  p := c.ports[_]
  p.hostPort != 0
  msg := sprintf("container %v must not bind hostPort %v", [c.name, p.hostPort])
}

violation[{"msg": msg}] {
  spec.securityContext.windowsOptions.hostProcess == true
  msg := "the pod must not be a HostProcess pod"
}

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.windowsOptions.hostProcess == true
  msg := sprintf("container %v must not be a HostProcess container", [c.name])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  m := c.securityContext.procMount
  m != "Default"
  msg := sprintf("container %v procMount %v is not Default", [c.name, m])
}

violation[{"msg": msg}] {
  s := spec.securityContext.sysctls[_]
  not safe_sysctls[s.name]
  msg := sprintf("sysctl %v is not safe", [s.name])
}

bad_selinux(o) {
  t := o.type
  not allowed_selinux_types[t]
}

bad_selinux(o) {
  o.user != ""
}

bad_selinux(o) {
  o.role != ""
}

violation[{"msg": msg}] {
  bad_selinux(spec.securityContext.seLinuxOptions)
  msg := "the pod seLinuxOptions are not allowed"
}

violation[{"msg": msg}] {
  c := all_containers[_]
  bad_selinux(c.securityContext.seLinuxOptions)
  msg := sprintf("container %v seLinuxOptions are not allowed", [c.name])
}

violation[{"msg": msg}] {
  v := pod_metadata(input.review.object).annotations[k]
  startswith(k, "${APPARMOR_PREFIX}")
  v != ""
  v != "runtime/default"
  not startswith(v, "localhost/")
  msg := sprintf("AppArmor profile %v of %v is not allowed", [v, k])
}

violation[{"msg": msg}] {
  v := spec.volumes[_]
  v[field]
  forbidden_volume_types[field]
  msg := sprintf("volume %v uses the disallowed volume type %v", [v.name, field])
}

violation[{"msg": msg}] {
  not is_windows
  c := all_containers[_]
  not c.securityContext.allowPrivilegeEscalation == false
  msg := sprintf("container %v must set securityContext.allowPrivilegeEscalation to false", [c.name])
}

violation[{"msg": msg}] {
  not is_windows
  c := all_containers[_]
  not drops_all(c)
  msg := sprintf("container %v must drop ALL capabilities", [c.name])
}

violation[{"msg": msg}] {
  not is_windows
  c := all_containers[_]
  added := c.securityContext.capabilities.add[_]
  added != "NET_BIND_SERVICE"
  msg := sprintf("container %v adds the capability %v; only NET_BIND_SERVICE is allowed", [c.name, added])
}

drops_all(c) {
  c.securityContext.capabilities.drop[_] == "ALL"
}

violation[{"msg": msg}] {
  spec.securityContext.runAsNonRoot == false
  msg := "the pod must not set securityContext.runAsNonRoot to false"
}

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.runAsNonRoot == false
  msg := sprintf("container %v must not set securityContext.runAsNonRoot to false", [c.name])
}

violation[{"msg": msg}] {
  not spec.securityContext.runAsNonRoot == true
  c := all_containers[_]
  not c.securityContext.runAsNonRoot == true
  msg := sprintf("container %v must run as non-root: set securityContext.runAsNonRoot to true on the pod or the container", [c.name])
}

violation[{"msg": msg}] {
  spec.securityContext.runAsUser == 0
  msg := "the pod must not set securityContext.runAsUser to 0"
}

violation[{"msg": msg}] {
  c := all_containers[_]
  c.securityContext.runAsUser == 0
  msg := sprintf("container %v must not set securityContext.runAsUser to 0", [c.name])
}

violation[{"msg": msg}] {
  not is_windows
  t := spec.securityContext.seccompProfile.type
  not allowed_seccomp[t]
  msg := sprintf("the pod seccompProfile type %v is not RuntimeDefault or Localhost", [t])
}

violation[{"msg": msg}] {
  not is_windows
  c := all_containers[_]
  t := c.securityContext.seccompProfile.type
  not allowed_seccomp[t]
  msg := sprintf("container %v seccompProfile type %v is not RuntimeDefault or Localhost", [c.name, t])
}

violation[{"msg": msg}] {
  not is_windows
  not spec.securityContext.seccompProfile
  c := all_containers[_]
  not c.securityContext.seccompProfile
  msg := sprintf("container %v has no seccompProfile and the pod sets none", [c.name])
}
`,
};
