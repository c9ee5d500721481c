/**
 * A checker for the Kubernetes Pod Security Standards, policy version v1.28.
 *
 * It implements every control of the Baseline and Restricted profiles as documented on
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/ (and as enforced by the
 * Pod Security Admission controller for version 1.28), over plain objects: synthesized manifests,
 * parsed YAML or `Testing.synth()` output. Containers, init containers and ephemeral containers
 * are all checked.
 */
import { show } from '../common/errors';

/** A Pod Security Standards level. The `privileged` level has no controls, so it is not listed. */
export type PodSecurityLevel = 'baseline' | 'restricted';

/** One broken control of the Pod Security Standards. */
export interface PodSecurityViolation {
  /**
   * The control that is broken: `hostProcess`, `hostNamespaces`, `privileged`, `capabilities`,
   * `hostPathVolumes`, `hostPorts`, `appArmorProfile`, `seLinuxOptions`, `procMount`,
   * `seccompProfile`, `sysctls` (baseline) or `volumeTypes`, `allowPrivilegeEscalation`,
   * `runAsNonRoot`, `runAsUser`, `seccompProfile`, `capabilities` (restricted).
   */
  readonly rule: string;
  /** The level that defines the broken control. */
  readonly level: PodSecurityLevel;
  /** The offending field, e.g. `spec.containers[0].securityContext.allowPrivilegeEscalation`. */
  readonly field: string;
  /** What is wrong, the value found, and what is allowed. */
  readonly message: string;
}

/** A pod template found in a manifest. */
export interface PodTemplateRef {
  /** The pod spec (`spec` of a Pod, `spec.template.spec` of a Deployment, ...). */
  readonly podSpec: any;
  /** The pod metadata (annotations carry the AppArmor profiles). */
  readonly podMetadata?: any;
  /** Which object holds it, e.g. `Deployment production/user-service`. */
  readonly where: string;
}

/** Capabilities the baseline profile lets a container add (the container runtime default set). */
export const BASELINE_ALLOWED_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** Sysctls the baseline profile allows in policy version v1.28 (the v1.27 set). */
export const BASELINE_SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range',
  'net.ipv4.tcp_syncookies',
];

/** SELinux types the baseline profile allows (besides undefined or empty). */
export const BASELINE_SELINUX_TYPES: readonly string[] = ['container_t', 'container_init_t', 'container_kvm_t'];

/** Volume sources the restricted profile allows. */
export const RESTRICTED_VOLUME_TYPES: readonly string[] = [
  'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
];

/** The only capability the restricted profile lets a container add back. */
export const RESTRICTED_ADDABLE_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** Kinds whose pod template sits at `spec.template`. */
const TEMPLATE_KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/**
 * Find the pod templates of a manifest: a Pod, the `template` of a PodTemplate, the
 * `spec.template` of a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or
 * ReplicationController, or the `spec.jobTemplate.spec.template` of a CronJob (every kind Pod
 * Security Admission checks). Other kinds (and anything that is not an object) yield nothing.
 */
export function findPodTemplates(manifest: any): PodTemplateRef[] {
  if (!isObject(manifest) || typeof manifest.kind !== 'string') {
    return [];
  }
  const where = describe(manifest);
  if (manifest.kind === 'Pod') {
    return [{ podSpec: manifest.spec ?? {}, podMetadata: manifest.metadata, where }];
  }
  let template: any;
  if (TEMPLATE_KINDS.has(manifest.kind)) {
    template = manifest.spec?.template;
  } else if (manifest.kind === 'PodTemplate') {
    template = manifest.template;
  } else if (manifest.kind === 'CronJob') {
    template = manifest.spec?.jobTemplate?.spec?.template;
  } else {
    return [];
  }
  if (!isObject(template)) {
    return [];
  }
  return [{ podSpec: template.spec ?? {}, podMetadata: template.metadata, where }];
}

/**
 * Check one pod spec (and its metadata, for AppArmor annotations) against a Pod Security Standards
 * level. `restricted` checks the baseline controls too. Returns every violation; none means the pod
 * passes.
 */
export function checkPodSecurity(
  podSpec: any,
  podMetadata?: any,
  level: PodSecurityLevel = 'restricted',
): PodSecurityViolation[] {
  const spec = isObject(podSpec) ? podSpec : {};
  const ctx: Ctx = { spec, metadata: isObject(podMetadata) ? podMetadata : {}, containers: containersOf(spec), out: [] };
  for (const check of BASELINE_CHECKS) {
    // As in the Pod Security Admission controller, a restricted control replaces the baseline
    // control it tightens (hostPath within volume types, capabilities, seccomp), so one mistake
    // is reported once.
    if (level === 'restricted' && OVERRIDDEN_BY_RESTRICTED.has(check)) {
      continue;
    }
    check(ctx);
  }
  if (level === 'restricted') {
    for (const check of RESTRICTED_CHECKS) {
      check(ctx);
    }
  }
  return ctx.out;
}

/** Check every pod template of every manifest; each violation names the object it belongs to. */
export function checkPodSecurityOfManifests(
  manifests: readonly any[],
  level: PodSecurityLevel = 'restricted',
): (PodSecurityViolation & { readonly where: string })[] {
  const found: (PodSecurityViolation & { readonly where: string })[] = [];
  for (const manifest of manifests) {
    for (const t of findPodTemplates(manifest)) {
      for (const v of checkPodSecurity(t.podSpec, t.podMetadata, level)) {
        found.push({ ...v, where: t.where });
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------

interface ContainerRef {
  readonly container: any;
  /** e.g. `spec.initContainers[2]` */
  readonly path: string;
  readonly sc: any;
}

interface Ctx {
  readonly spec: any;
  readonly metadata: any;
  readonly containers: ContainerRef[];
  readonly out: PodSecurityViolation[];
}

type Check = (ctx: Ctx) => void;

function containersOf(spec: any): ContainerRef[] {
  const refs: ContainerRef[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    const items = Array.isArray(spec[list]) ? spec[list] : [];
    items.forEach((c: any, i: number) => {
      const container = isObject(c) ? c : {};
      refs.push({ container, path: `spec.${list}[${i}]`, sc: isObject(container.securityContext) ? container.securityContext : {} });
    });
  }
  return refs;
}

function podSc(ctx: Ctx): any {
  return isObject(ctx.spec.securityContext) ? ctx.spec.securityContext : {};
}

function add(ctx: Ctx, level: PodSecurityLevel, rule: string, field: string, message: string): void {
  ctx.out.push({ rule, level, field, message });
}

/** Windows pods are exempt from some restricted controls (policy version 1.25+). */
function isWindows(ctx: Ctx): boolean {
  return ctx.spec.os?.name === 'windows';
}

// --- Baseline --------------------------------------------------------------------------------

const hostProcess: Check = (ctx) => {
  const msg = (v: unknown) => `HostProcess containers give privileged access to the Windows host; found hostProcess ${show(v)}, allowed: undefined or false`;
  const pod = podSc(ctx).windowsOptions?.hostProcess;
  if (pod !== undefined && pod !== null && pod !== false) {
    add(ctx, 'baseline', 'hostProcess', 'spec.securityContext.windowsOptions.hostProcess', msg(pod));
  }
  for (const c of ctx.containers) {
    const v = c.sc.windowsOptions?.hostProcess;
    if (v !== undefined && v !== null && v !== false) {
      add(ctx, 'baseline', 'hostProcess', `${c.path}.securityContext.windowsOptions.hostProcess`, msg(v));
    }
  }
};

const hostNamespaces: Check = (ctx) => {
  for (const key of ['hostNetwork', 'hostPID', 'hostIPC']) {
    const v = ctx.spec[key];
    if (v !== undefined && v !== null && v !== false) {
      add(ctx, 'baseline', 'hostNamespaces', `spec.${key}`,
        `sharing the host namespaces is forbidden; found ${key} ${show(v)}, allowed: undefined or false`);
    }
  }
};

const privileged: Check = (ctx) => {
  for (const c of ctx.containers) {
    const v = c.sc.privileged;
    if (v !== undefined && v !== null && v !== false) {
      add(ctx, 'baseline', 'privileged', `${c.path}.securityContext.privileged`,
        `privileged containers disable most security mechanisms; found privileged ${show(v)}, allowed: undefined or false`);
    }
  }
};

const baselineCapabilities: Check = (ctx) => {
  for (const c of ctx.containers) {
    const added = arrayOf(c.sc.capabilities?.add);
    added.forEach((cap, i) => {
      if (!BASELINE_ALLOWED_CAPABILITIES.includes(cap)) {
        add(ctx, 'baseline', 'capabilities', `${c.path}.securityContext.capabilities.add[${i}]`,
          `capability ${show(cap)} may not be added; allowed: ${BASELINE_ALLOWED_CAPABILITIES.join(', ')}`);
      }
    });
  }
};

const hostPathVolumes: Check = (ctx) => {
  arrayOf(ctx.spec.volumes).forEach((vol, i) => {
    if (isObject(vol) && vol.hostPath !== undefined && vol.hostPath !== null) {
      add(ctx, 'baseline', 'hostPathVolumes', `spec.volumes[${i}].hostPath`,
        `hostPath volumes are forbidden; volume ${show(vol.name)} mounts host path ${show(vol.hostPath?.path)}`);
    }
  });
};

const hostPorts: Check = (ctx) => {
  for (const c of ctx.containers) {
    arrayOf(c.container.ports).forEach((p, i) => {
      const v = isObject(p) ? p.hostPort : undefined;
      if (v !== undefined && v !== null && v !== 0) {
        add(ctx, 'baseline', 'hostPorts', `${c.path}.ports[${i}].hostPort`,
          `host ports are forbidden; found hostPort ${show(v)}, allowed: undefined or 0`);
      }
    });
  }
};

const appArmorProfile: Check = (ctx) => {
  const annotations = isObject(ctx.metadata.annotations) ? ctx.metadata.annotations : {};
  for (const key of Object.keys(annotations).sort()) {
    if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) {
      continue;
    }
    const v = annotations[key];
    const ok = v === undefined || v === null || v === '' || v === 'runtime/default' || (typeof v === 'string' && v.startsWith('localhost/'));
    if (!ok) {
      add(ctx, 'baseline', 'appArmorProfile', `metadata.annotations["${key}"]`,
        `AppArmor profile ${show(v)} is forbidden; allowed: undefined, "", runtime/default or localhost/<profile>`);
    }
  }
};

const seLinuxOptions: Check = (ctx) => {
  const checkOne = (opts: any, path: string) => {
    if (!isObject(opts)) {
      return;
    }
    if (opts.type !== undefined && opts.type !== null && opts.type !== '' && !BASELINE_SELINUX_TYPES.includes(opts.type)) {
      add(ctx, 'baseline', 'seLinuxOptions', `${path}.seLinuxOptions.type`,
        `SELinux type ${show(opts.type)} is forbidden; allowed: undefined, "", ${BASELINE_SELINUX_TYPES.join(', ')}`);
    }
    for (const key of ['user', 'role']) {
      const v = opts[key];
      if (v !== undefined && v !== null && v !== '') {
        add(ctx, 'baseline', 'seLinuxOptions', `${path}.seLinuxOptions.${key}`,
          `setting a custom SELinux ${key} is forbidden; found ${show(v)}, allowed: undefined or ""`);
      }
    }
  };
  checkOne(podSc(ctx).seLinuxOptions, 'spec.securityContext');
  for (const c of ctx.containers) {
    checkOne(c.sc.seLinuxOptions, `${c.path}.securityContext`);
  }
};

const procMount: Check = (ctx) => {
  for (const c of ctx.containers) {
    const v = c.sc.procMount;
    if (v !== undefined && v !== null && v !== 'Default') {
      add(ctx, 'baseline', 'procMount', `${c.path}.securityContext.procMount`,
        `the /proc mount type ${show(v)} unmasks /proc; allowed: undefined or Default`);
    }
  }
};

const baselineSeccomp: Check = (ctx) => {
  const msg = (v: unknown) => `seccomp profile ${show(v)} disables syscall filtering; Unconfined is forbidden`;
  if (podSc(ctx).seccompProfile?.type === 'Unconfined') {
    add(ctx, 'baseline', 'seccompProfile', 'spec.securityContext.seccompProfile.type', msg('Unconfined'));
  }
  for (const c of ctx.containers) {
    if (c.sc.seccompProfile?.type === 'Unconfined') {
      add(ctx, 'baseline', 'seccompProfile', `${c.path}.securityContext.seccompProfile.type`, msg('Unconfined'));
    }
  }
};

const sysctls: Check = (ctx) => {
  arrayOf(podSc(ctx).sysctls).forEach((s, i) => {
    const name = isObject(s) ? s.name : s;
    if (!BASELINE_SAFE_SYSCTLS.includes(name)) {
      add(ctx, 'baseline', 'sysctls', `spec.securityContext.sysctls[${i}].name`,
        `sysctl ${show(name)} is not in the safe set; allowed: ${BASELINE_SAFE_SYSCTLS.join(', ')}`);
    }
  });
};

const BASELINE_CHECKS: Check[] = [
  hostProcess, hostNamespaces, privileged, baselineCapabilities, hostPathVolumes, hostPorts,
  appArmorProfile, seLinuxOptions, procMount, baselineSeccomp, sysctls,
];

// --- Restricted ------------------------------------------------------------------------------

const volumeTypes: Check = (ctx) => {
  arrayOf(ctx.spec.volumes).forEach((vol, i) => {
    if (!isObject(vol)) {
      return;
    }
    for (const key of Object.keys(vol).sort()) {
      if (key === 'name' || vol[key] === undefined || vol[key] === null) {
        continue;
      }
      if (!RESTRICTED_VOLUME_TYPES.includes(key)) {
        add(ctx, 'restricted', 'volumeTypes', `spec.volumes[${i}].${key}`,
          `volume ${show(vol.name)} uses the forbidden type ${key}; allowed: ${RESTRICTED_VOLUME_TYPES.join(', ')}`);
      }
    }
  });
};

const allowPrivilegeEscalation: Check = (ctx) => {
  if (isWindows(ctx)) {
    return;
  }
  for (const c of ctx.containers) {
    const v = c.sc.allowPrivilegeEscalation;
    if (v !== false) {
      add(ctx, 'restricted', 'allowPrivilegeEscalation', `${c.path}.securityContext.allowPrivilegeEscalation`,
        `privilege escalation must be disabled; found ${show(v)}, required: false`);
    }
  }
};

const runAsNonRoot: Check = (ctx) => {
  const pod = podSc(ctx).runAsNonRoot;
  if (pod !== undefined && pod !== null && pod !== true) {
    add(ctx, 'restricted', 'runAsNonRoot', 'spec.securityContext.runAsNonRoot',
      `containers must run as non-root; found runAsNonRoot ${show(pod)} on the pod, required: true`);
  }
  for (const c of ctx.containers) {
    const v = c.sc.runAsNonRoot;
    if (v === undefined || v === null) {
      if (pod !== true) {
        add(ctx, 'restricted', 'runAsNonRoot', `${c.path}.securityContext.runAsNonRoot`,
          'containers must run as non-root; runAsNonRoot is unset here and on the pod, set it to true on the pod or on every container');
      }
    } else if (v !== true) {
      add(ctx, 'restricted', 'runAsNonRoot', `${c.path}.securityContext.runAsNonRoot`,
        `containers must run as non-root; found runAsNonRoot ${show(v)}, which overrides the pod, required: true or undefined with the pod set to true`);
    }
  }
};

const runAsUser: Check = (ctx) => {
  const msg = 'containers must not run as root; found runAsUser 0, allowed: undefined or a non-zero uid';
  if (podSc(ctx).runAsUser === 0) {
    add(ctx, 'restricted', 'runAsUser', 'spec.securityContext.runAsUser', msg);
  }
  for (const c of ctx.containers) {
    if (c.sc.runAsUser === 0) {
      add(ctx, 'restricted', 'runAsUser', `${c.path}.securityContext.runAsUser`, msg);
    }
  }
};

const restrictedSeccomp: Check = (ctx) => {
  if (isWindows(ctx)) {
    return;
  }
  const allowed = (t: unknown) => t === 'RuntimeDefault' || t === 'Localhost';
  const bad = (t: unknown) => `seccomp profile type ${show(t)} is forbidden; required: RuntimeDefault or Localhost`;
  // A container that leaves seccompProfile unset inherits the pod's profile, but only a valid one:
  // a pod-level profile with a bad type covers no container.
  const podProfile = podSc(ctx).seccompProfile;
  let podCovers = false;
  if (podProfile !== undefined && podProfile !== null) {
    if (allowed(podProfile?.type)) {
      podCovers = true;
    } else {
      add(ctx, 'restricted', 'seccompProfile', 'spec.securityContext.seccompProfile.type', bad(podProfile?.type));
    }
  }
  for (const c of ctx.containers) {
    const profile = c.sc.seccompProfile;
    if (profile === undefined || profile === null) {
      if (!podCovers) {
        add(ctx, 'restricted', 'seccompProfile', `${c.path}.securityContext.seccompProfile.type`,
          'a seccomp profile is required; set seccompProfile.type RuntimeDefault (or Localhost) on the pod or on every container');
      }
    } else if (!allowed(profile?.type)) {
      add(ctx, 'restricted', 'seccompProfile', `${c.path}.securityContext.seccompProfile.type`, bad(profile?.type));
    }
  }
};

const restrictedCapabilities: Check = (ctx) => {
  if (isWindows(ctx)) {
    return;
  }
  for (const c of ctx.containers) {
    const caps = c.sc.capabilities;
    if (!arrayOf(caps?.drop).includes('ALL')) {
      add(ctx, 'restricted', 'capabilities', `${c.path}.securityContext.capabilities.drop`,
        `containers must drop ALL capabilities; found drop ${show(caps?.drop)}, required: a list containing "ALL"`);
    }
    arrayOf(caps?.add).forEach((cap, i) => {
      if (!RESTRICTED_ADDABLE_CAPABILITIES.includes(cap)) {
        add(ctx, 'restricted', 'capabilities', `${c.path}.securityContext.capabilities.add[${i}]`,
          `capability ${show(cap)} may not be added; only NET_BIND_SERVICE may be added back`);
      }
    });
  }
};

const OVERRIDDEN_BY_RESTRICTED = new Set<Check>([hostPathVolumes, baselineCapabilities, baselineSeccomp]);

const RESTRICTED_CHECKS: Check[] = [
  volumeTypes, allowPrivilegeEscalation, runAsNonRoot, runAsUser, restrictedSeccomp, restrictedCapabilities,
];

// --- helpers ---------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function arrayOf(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

function describe(manifest: any): string {
  const name = manifest.metadata?.name ?? '<unnamed>';
  const ns = manifest.metadata?.namespace;
  return `${manifest.kind} ${ns ? `${ns}/` : ''}${name}`;
}
