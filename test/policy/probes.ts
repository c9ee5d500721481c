/**
 * The probe table: for every rule of the pack and every field the rule checks, one object that
 * breaks exactly that field, plus compliant objects of every kind the rules match. The same table
 * runs through the synth-time check, Gatekeeper's Rego (real OPA) and, in the cluster suite, the
 * real API server's ValidatingAdmissionPolicies (server-side dry run). Every object is valid for
 * the API server (field validation, `--allow-privileged=true`), so a denial can only come from the
 * policy, and each probe breaks its own rule only (`alsoViolates` lists the overlaps the pack has
 * by design: pss-restricted holds the baseline controls that host-access also checks).
 */
import { goodContainer, goodPodSpec } from './fixtures';
import { PolicyPackProps } from '../../lib/policy';

/** Every kind that carries a pod, as the pack matches them. */
export const PROBE_KINDS = ['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'PodTemplate'] as const;
export type ProbeKind = typeof PROBE_KINDS[number] | 'Service';

/** What a pod edit may touch: the pod spec and the pod's annotations. */
export interface PodParts {
  readonly spec: Record<string, any>;
  readonly annotations: Record<string, string>;
}

export interface Probe {
  /** The rule the probe exercises. */
  readonly rule: string;
  /** The field it breaks (what the table documents). */
  readonly field: string;
  readonly kind: ProbeKind;
  /** The violating object (no namespace: the runner sets it). */
  readonly object: Record<string, any>;
  /** The message of the rule's validation that must fail (the VAP's message; the synth-time check reports it too). */
  readonly message: string;
  /** Other rules the probe breaks by construction. @default - none */
  readonly alsoViolates?: readonly string[];
  /** Why the real API server cannot judge this probe (e.g. a feature gate drops the field). @default - it can */
  readonly serverCannotJudge?: string;
}

const LABELS = { app: 'probe', version: 'v1.2.3', component: 'backend' };

/** The pack the probes are judged by: every rule on, with parameters that a compliant object meets. */
export const PROBE_PACK: PolicyPackProps = {
  rules: {
    'allowed-registries': { parameters: { repos: ['registry.example.com/'] } },
    'immutable-tags': { enabled: true },
  },
};

/** A compliant pod carrier of `kind` whose pod is `edit`ed; Jobs and CronJobs get restartPolicy Never. */
export function podCarrier(kind: typeof PROBE_KINDS[number], edit: (pod: PodParts) => void = () => {}, name = 'probe'): Record<string, any> {
  const parts: PodParts = { spec: goodPodSpec(), annotations: {} };
  edit(parts);
  const { spec } = parts;
  const podMeta = { labels: { app: 'probe' }, ...(Object.keys(parts.annotations).length > 0 ? { annotations: parts.annotations } : {}) };
  const metadata = { name, labels: { ...LABELS } };
  const template = { metadata: podMeta, spec };
  const jobTemplate = { metadata: podMeta, spec: { ...spec, restartPolicy: 'Never' } };
  switch (kind) {
    case 'Pod': return { apiVersion: 'v1', kind, metadata: { ...metadata, labels: { ...LABELS }, ...(podMeta.annotations ? { annotations: podMeta.annotations } : {}) }, spec };
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet': return { apiVersion: 'apps/v1', kind, metadata, spec: { selector: { matchLabels: { app: 'probe' } }, template } };
    case 'StatefulSet': return { apiVersion: 'apps/v1', kind, metadata, spec: { serviceName: 'probe', selector: { matchLabels: { app: 'probe' } }, template } };
    case 'Job': return { apiVersion: 'batch/v1', kind, metadata, spec: { template: jobTemplate } };
    case 'CronJob': return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: jobTemplate } } } };
    case 'ReplicationController': return { apiVersion: 'v1', kind, metadata, spec: { selector: { app: 'probe' }, template } };
    case 'PodTemplate': return { apiVersion: 'v1', kind, metadata, template };
  }
}

/** A Windows pod that Pod Security Standards restricted admits (no Linux-only fields). */
export function windows(pod: PodParts): void {
  pod.spec.os = { name: 'windows' };
  pod.spec.securityContext = { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } };
  pod.spec.containers[0].securityContext = { runAsNonRoot: true };
}

function service(annotations: Record<string, string>): Record<string, any> {
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'probe', ...(Object.keys(annotations).length > 0 ? { annotations } : {}) },
    spec: { type: 'LoadBalancer', selector: { app: 'probe' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

/** Compliant objects: every kind, a Windows pod, and the accepted image forms. None may be denied. */
export const COMPLIANT: ReadonlyArray<{ readonly name: string; readonly object: Record<string, any> }> = [
  ...PROBE_KINDS.map((kind) => ({ name: `compliant ${kind}`, object: podCarrier(kind) })),
  { name: 'Windows pod that PSS restricted admits', object: podCarrier('Pod', windows) },
  { name: 'image pinned by digest', object: podCarrier('Deployment', (p) => { p.spec.containers[0].image = 'registry.example.com/shop/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'; }) },
  { name: 'image with a build id', object: podCarrier('Deployment', (p) => { p.spec.containers[0].image = 'registry.example.com/shop/api:3f9c2d1e'; }) },
  {
    name: 'safe sysctl, allowed SELinux type, AppArmor runtime/default', object: podCarrier('Pod', (p) => {
      p.spec.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];
      p.spec.containers[0].securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c1,c2' };
      p.annotations['container.apparmor.security.beta.kubernetes.io/main'] = 'runtime/default';
    }),
  },
  { name: 'internal load balancer', object: service({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }) },
];

type Edit = (pod: PodParts) => void;
/** An init container: a good container without ports or probes (the API warns on duplicate ports; init containers take no probes). */
function initContainer(image?: string): Record<string, any> {
  const c = goodContainer('init', image);
  delete c.ports; delete c.livenessProbe; delete c.readinessProbe;
  return c;
}
const main = (p: PodParts) => p.spec.containers[0];
const sc = (p: PodParts) => main(p).securityContext;

/** Probes of a pod rule: one per (field, kind) listed. */
function podProbes(rule: string, rows: ReadonlyArray<{
  field: string; message: string; edit: Edit;
  kinds?: ReadonlyArray<typeof PROBE_KINDS[number]>; alsoViolates?: readonly string[]; serverCannotJudge?: string;
}>): Probe[] {
  return rows.flatMap((r) => (r.kinds ?? ['Deployment']).map((kind) => ({
    rule, field: r.field, kind, object: podCarrier(kind, r.edit), message: r.message,
    ...(r.alsoViolates ? { alsoViolates: r.alsoViolates } : {}), ...(r.serverCannotJudge ? { serverCannotJudge: r.serverCannotJudge } : {}),
  })));
}

const HOST = ['host-access'];
const PSS = ['pss-restricted'];
const PSS_MSG = {
  privileged: 'no container may be privileged',
  hostNamespaces: 'the pod must not use host namespaces',
  hostPort: 'no container may bind a hostPort',
  hostProcess: 'no HostProcess containers',
  procMount: 'procMount must be Default',
  sysctls: 'only safe sysctls are allowed',
  seLinux: 'seLinuxOptions may set only an allowed type',
  appArmor: 'AppArmor profiles must be runtime/default or localhost/*',
  volumes: 'volumes must be of a restricted type',
  escalation: 'allowPrivilegeEscalation must be false',
  capabilities: 'capabilities must drop ALL and add only NET_BIND_SERVICE',
  runAsNonRoot: 'runAsNonRoot must be true',
  runAsUser: 'runAsUser must not be 0',
  seccomp: 'seccompProfile must be RuntimeDefault or Localhost',
};
const TAG_MSG = 'every image needs a digest or a tag not in the tags parameter';
const IMMUTABLE_MSG = 'every image needs a digest, an x.y.z tag or a build id';

/** Every pod rule's field, and a probe per pod-carrying kind for one field of each pod rule. */
export const PROBES: readonly Probe[] = [
  ...(['app', 'version', 'component'] as const).flatMap((label) => (['Deployment', 'StatefulSet', 'DaemonSet'] as const).map((kind): Probe => {
    const object = podCarrier(kind);
    delete object.metadata.labels[label];
    return { rule: 'required-labels', field: `metadata.labels.${label}`, kind, object, message: 'every label of the labels parameter must be set and non-empty' };
  })),
  { rule: 'required-labels', field: 'metadata.labels.component (empty)', kind: 'Deployment', object: ((o) => { o.metadata.labels.component = ''; return o; })(podCarrier('Deployment')), message: 'every label of the labels parameter must be set and non-empty' },

  ...podProbes('container-resources', [
    { field: 'containers[].resources.requests.cpu', message: 'every container must set the requests of the requests parameter', edit: (p) => { delete main(p).resources.requests.cpu; } },
    { field: 'containers[].resources.requests.memory', message: 'every container must set the requests of the requests parameter', edit: (p) => { delete main(p).resources.requests.memory; }, kinds: ['Deployment', 'CronJob', 'PodTemplate'] },
    { field: 'containers[].resources.limits.cpu', message: 'every container must set the limits of the limits parameter', edit: (p) => { delete main(p).resources.limits.cpu; }, kinds: [...PROBE_KINDS] },
    { field: 'containers[].resources.limits.memory', message: 'every container must set the limits of the limits parameter', edit: (p) => { delete main(p).resources.limits.memory; } },
    { field: 'initContainers[].resources.limits', message: 'every container must set the limits of the limits parameter', edit: (p) => { p.spec.initContainers = [{ ...initContainer(), resources: { requests: { cpu: '10m', memory: '16Mi' } } }]; } },
  ]),

  ...podProbes('disallowed-tags', [
    { field: 'containers[].image (latest)', message: TAG_MSG, edit: (p) => { main(p).image = 'registry.example.com/shop/api:latest'; }, kinds: [...PROBE_KINDS], alsoViolates: ['immutable-tags'] },
    { field: 'containers[].image (no tag)', message: TAG_MSG, edit: (p) => { main(p).image = 'registry.example.com/shop/api'; }, alsoViolates: ['immutable-tags'] },
    { field: 'containers[].image (empty tag r.io/app:)', message: TAG_MSG, edit: (p) => { main(p).image = 'registry.example.com/shop/api:'; }, alsoViolates: ['immutable-tags'] },
    { field: 'containers[].image (empty digest r.io/app@)', message: TAG_MSG, edit: (p) => { main(p).image = 'registry.example.com/shop/api@'; }, alsoViolates: ['immutable-tags'] },
    { field: 'containers[].image (short digest)', message: TAG_MSG, edit: (p) => { main(p).image = 'registry.example.com/shop/api@sha256:0123456789abcdef'; }, alsoViolates: ['immutable-tags'] },
    { field: 'initContainers[].image (latest)', message: TAG_MSG, edit: (p) => { p.spec.initContainers = [initContainer('registry.example.com/tools/init:latest')]; }, alsoViolates: ['immutable-tags'] },
  ]),

  ...podProbes('immutable-tags', [
    { field: 'containers[].image (nginx:stable)', message: IMMUTABLE_MSG, edit: (p) => { main(p).image = 'registry.example.com/nginx:stable'; }, kinds: [...PROBE_KINDS] },
    { field: 'containers[].image (redis:7-alpine)', message: IMMUTABLE_MSG, edit: (p) => { main(p).image = 'registry.example.com/redis:7-alpine'; } },
    { field: 'containers[].image (postgres:15-alpine)', message: IMMUTABLE_MSG, edit: (p) => { main(p).image = 'registry.example.com/postgres:15-alpine'; } },
    { field: 'containers[].image (two-part version 1.25)', message: IMMUTABLE_MSG, edit: (p) => { main(p).image = 'registry.example.com/nginx:1.25'; } },
    { field: 'initContainers[].image (busybox:1)', message: IMMUTABLE_MSG, edit: (p) => { p.spec.initContainers = [initContainer('registry.example.com/busybox:1')]; } },
  ]),

  ...podProbes('allowed-registries', [
    { field: 'containers[].image (other registry)', message: 'every image must start with a prefix of the repos parameter', edit: (p) => { main(p).image = 'docker.io/library/nginx:1.27.3'; }, kinds: [...PROBE_KINDS] },
    { field: 'containers[].image (lookalike registry)', message: 'every image must start with a prefix of the repos parameter', edit: (p) => { main(p).image = 'registry.example.com.evil.io/api:1.2.3'; } },
    { field: 'initContainers[].image', message: 'every image must start with a prefix of the repos parameter', edit: (p) => { p.spec.initContainers = [initContainer('quay.io/tools/init:1.0.0')]; } },
  ]),

  ...podProbes('required-probes', [
    { field: 'containers[].livenessProbe', message: 'every container must declare the probes of the probes parameter', edit: (p) => { delete main(p).livenessProbe; }, kinds: ['Deployment', 'StatefulSet', 'DaemonSet'] },
    { field: 'containers[].readinessProbe', message: 'every container must declare the probes of the probes parameter', edit: (p) => { delete main(p).readinessProbe; } },
  ]),

  ...podProbes('pss-restricted', [
    // privileged needs allowPrivilegeEscalation unset (the API refuses false with privileged)
    { field: 'containers[].securityContext.privileged', message: PSS_MSG.privileged, edit: (p) => { sc(p).privileged = true; delete sc(p).allowPrivilegeEscalation; }, kinds: [...PROBE_KINDS], alsoViolates: HOST },
    { field: 'spec.hostNetwork', message: PSS_MSG.hostNamespaces, edit: (p) => { p.spec.hostNetwork = true; }, alsoViolates: HOST },
    { field: 'spec.hostPID', message: PSS_MSG.hostNamespaces, edit: (p) => { p.spec.hostPID = true; }, alsoViolates: HOST },
    { field: 'spec.hostIPC', message: PSS_MSG.hostNamespaces, edit: (p) => { p.spec.hostIPC = true; }, alsoViolates: HOST },
    { field: 'containers[].ports[].hostPort', message: PSS_MSG.hostPort, edit: (p) => { main(p).ports[0].hostPort = 8080; }, alsoViolates: HOST },
    // a HostProcess pod must use the host network (API validation)
    { field: 'securityContext.windowsOptions.hostProcess', message: PSS_MSG.hostProcess, edit: (p) => { windows(p); p.spec.hostNetwork = true; p.spec.securityContext.windowsOptions = { hostProcess: true, runAsUserName: 'NT AUTHORITY\\SYSTEM' }; }, kinds: ['Pod'], alsoViolates: HOST },
    {
      field: 'containers[].securityContext.procMount', message: PSS_MSG.procMount, edit: (p) => { sc(p).procMount = 'Unmasked'; },
      serverCannotJudge: 'procMount is dropped by the API server unless the ProcMountType feature gate is on (alpha in 1.28)',
    },
    { field: 'securityContext.sysctls[].name', message: PSS_MSG.sysctls, edit: (p) => { p.spec.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]; }, kinds: ['Deployment', 'Pod'] },
    { field: 'containers[].securityContext.seLinuxOptions.type', message: PSS_MSG.seLinux, edit: (p) => { sc(p).seLinuxOptions = { type: 'spc_t' }; } },
    { field: 'securityContext.seLinuxOptions.user', message: PSS_MSG.seLinux, edit: (p) => { p.spec.securityContext.seLinuxOptions = { user: 'system_u' }; } },
    { field: 'securityContext.seLinuxOptions.role', message: PSS_MSG.seLinux, edit: (p) => { p.spec.securityContext.seLinuxOptions = { role: 'system_r' }; } },
    { field: 'metadata.annotations[container.apparmor.security.beta.kubernetes.io/*]', message: PSS_MSG.appArmor, edit: (p) => { p.annotations['container.apparmor.security.beta.kubernetes.io/main'] = 'unconfined'; }, kinds: ['Pod', 'Deployment', 'CronJob'] },
    { field: 'volumes[].hostPath', message: PSS_MSG.volumes, edit: (p) => { p.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }, alsoViolates: ['host-access', 'allowed-volume-types'] },
    { field: 'volumes[].nfs', message: PSS_MSG.volumes, edit: (p) => { p.spec.volumes.push({ name: 'share', nfs: { server: 'nfs.example.com', path: '/' } }); }, alsoViolates: ['allowed-volume-types'] },
    { field: 'containers[].securityContext.allowPrivilegeEscalation (true)', message: PSS_MSG.escalation, edit: (p) => { sc(p).allowPrivilegeEscalation = true; }, kinds: ['Deployment', 'PodTemplate'] },
    { field: 'containers[].securityContext.allowPrivilegeEscalation (unset)', message: PSS_MSG.escalation, edit: (p) => { delete sc(p).allowPrivilegeEscalation; } },
    { field: 'containers[].securityContext.capabilities.drop', message: PSS_MSG.capabilities, edit: (p) => { delete sc(p).capabilities; } },
    { field: 'containers[].securityContext.capabilities.add', message: PSS_MSG.capabilities, edit: (p) => { sc(p).capabilities.add = ['NET_ADMIN']; } },
    { field: 'securityContext.runAsNonRoot (false)', message: PSS_MSG.runAsNonRoot, edit: (p) => { p.spec.securityContext.runAsNonRoot = false; delete sc(p).runAsNonRoot; } },
    { field: 'containers[].securityContext.runAsNonRoot (false)', message: PSS_MSG.runAsNonRoot, edit: (p) => { sc(p).runAsNonRoot = false; } },
    { field: 'runAsNonRoot (unset everywhere)', message: PSS_MSG.runAsNonRoot, edit: (p) => { delete p.spec.securityContext.runAsNonRoot; delete sc(p).runAsNonRoot; } },
    { field: 'containers[].securityContext.runAsUser (0)', message: PSS_MSG.runAsUser, edit: (p) => { sc(p).runAsUser = 0; } },
    { field: 'securityContext.runAsUser (0)', message: PSS_MSG.runAsUser, edit: (p) => { p.spec.securityContext.runAsUser = 0; } },
    { field: 'securityContext.seccompProfile.type (Unconfined)', message: PSS_MSG.seccomp, edit: (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; } },
    { field: 'containers[].securityContext.seccompProfile.type (Unconfined)', message: PSS_MSG.seccomp, edit: (p) => { sc(p).seccompProfile = { type: 'Unconfined' }; } },
    { field: 'seccompProfile (unset everywhere)', message: PSS_MSG.seccomp, edit: (p) => { delete p.spec.securityContext.seccompProfile; } },
  ]),

  ...podProbes('read-only-root-filesystem', [
    { field: 'containers[].securityContext.readOnlyRootFilesystem (unset)', message: 'every container must set readOnlyRootFilesystem: true', edit: (p) => { delete sc(p).readOnlyRootFilesystem; }, kinds: [...PROBE_KINDS] },
    { field: 'containers[].securityContext.readOnlyRootFilesystem (false)', message: 'every container must set readOnlyRootFilesystem: true', edit: (p) => { sc(p).readOnlyRootFilesystem = false; } },
    { field: 'initContainers[].securityContext.readOnlyRootFilesystem', message: 'every container must set readOnlyRootFilesystem: true', edit: (p) => { p.spec.initContainers = [initContainer()]; p.spec.initContainers[0].securityContext.readOnlyRootFilesystem = false; } },
  ]),

  ...podProbes('allowed-volume-types', [
    { field: 'volumes[].csi', message: 'every volume must be of a type in the types parameter', edit: (p) => { p.spec.volumes.push({ name: 'store', csi: { driver: 'secrets-store.csi.k8s.io' } }); }, kinds: [...PROBE_KINDS] },
    {
      field: 'volumes[].ephemeral', message: 'every volume must be of a type in the types parameter', edit: (p) => {
        p.spec.volumes.push({ name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } } });
      },
    },
  ]),

  ...podProbes('host-access', [
    { field: 'spec.hostNetwork', message: 'the pod must not set hostNetwork, hostPID or hostIPC', edit: (p) => { p.spec.hostNetwork = true; }, kinds: [...PROBE_KINDS], alsoViolates: PSS },
    { field: 'spec.hostPID', message: 'the pod must not set hostNetwork, hostPID or hostIPC', edit: (p) => { p.spec.hostPID = true; }, alsoViolates: PSS },
    { field: 'spec.hostIPC', message: 'the pod must not set hostNetwork, hostPID or hostIPC', edit: (p) => { p.spec.hostIPC = true; }, alsoViolates: PSS },
    { field: 'containers[].securityContext.privileged', message: 'no container may be privileged', edit: (p) => { sc(p).privileged = true; delete sc(p).allowPrivilegeEscalation; }, alsoViolates: PSS },
    { field: 'volumes[].hostPath', message: 'the pod must not mount hostPath volumes', edit: (p) => { p.spec.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); }, alsoViolates: ['pss-restricted', 'allowed-volume-types'] },
    { field: 'containers[].ports[].hostPort', message: 'no container may bind a hostPort', edit: (p) => { main(p).ports[0].hostPort = 8080; }, alsoViolates: PSS },
  ]),

  { rule: 'internal-load-balancer', field: 'metadata.annotations (none)', kind: 'Service', object: service({}), message: 'a LoadBalancer Service needs an annotation of the annotations parameter' },
  { rule: 'internal-load-balancer', field: 'metadata.annotations (AWS internet-facing)', kind: 'Service', object: service({ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }), message: 'a LoadBalancer Service needs an annotation of the annotations parameter' },
  { rule: 'internal-load-balancer', field: 'metadata.annotations (Alibaba internet)', kind: 'Service', object: service({ 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'internet' }), message: 'a LoadBalancer Service needs an annotation of the annotations parameter' },
];

/** `probe` with `namespace` set (and a name unique within the table). */
export function placeProbe(object: Record<string, any>, namespace: string, name: string): Record<string, any> {
  const copy = JSON.parse(JSON.stringify(object));
  copy.metadata = { ...copy.metadata, name, namespace };
  return copy;
}

