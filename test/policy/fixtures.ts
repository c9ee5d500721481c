/**
 * Shared fixtures: for each rule, objects that must pass and objects that must fail. The same
 * fixtures drive the Gatekeeper Rego (run by a real OPA), the ValidatingAdmissionPolicy CEL and
 * the synth-time check, which proves the three forms agree.
 */

export interface Fixture {
  readonly name: string;
  readonly object: Record<string, any>;
  /** Parameter values when not the rule's defaults. */
  readonly parameters?: Record<string, string[]>;
}

export interface RuleFixtures {
  readonly pass: readonly Fixture[];
  readonly fail: readonly Fixture[];
}

/** A container that meets every rule of the pack. */
export function goodContainer(name = 'main', image = 'registry.example.com/shop/api:v1.2.3'): Record<string, any> {
  return {
    name,
    image,
    ports: [{ name: 'http', containerPort: 8080 }],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
    livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
    readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    },
  };
}

/** A pod spec that meets every rule of the pack. */
export function goodPodSpec(): Record<string, any> {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [goodContainer()],
    volumes: [{ name: 'tmp', emptyDir: {} }, { name: 'config', configMap: { name: 'api' } }],
  };
}

/** A Deployment in `production` that meets every rule; `edit` mutates a deep copy. */
export function deployment(edit: (d: Record<string, any>) => void = () => {}, kind = 'Deployment'): Record<string, any> {
  const d: Record<string, any> = {
    apiVersion: 'apps/v1',
    kind,
    metadata: { name: 'api', namespace: 'production', labels: { app: 'api', version: 'v1.2.3', component: 'backend' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: goodPodSpec() },
    },
  };
  edit(d);
  return d;
}

/** Shorthand: the pod spec and first container of a workload fixture. */
const pod = (d: Record<string, any>) => d.spec.template.spec;
const main = (d: Record<string, any>) => pod(d).containers[0];

export function podObject(edit: (spec: Record<string, any>) => void = () => {}): Record<string, any> {
  const spec = goodPodSpec();
  edit(spec);
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'debug', namespace: 'production' }, spec };
}

export function cronJob(edit: (spec: Record<string, any>) => void = () => {}): Record<string, any> {
  const spec = goodPodSpec();
  edit(spec);
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'report', namespace: 'production' },
    spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: { ...spec, restartPolicy: 'Never' } } } } },
  };
}

/** A ReplicationController (core/v1, pod template at spec.template) around a good pod spec. */
export function replicationController(edit: (spec: Record<string, any>) => void = () => {}): Record<string, any> {
  const spec = goodPodSpec();
  edit(spec);
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: 'production' },
    spec: { replicas: 1, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec } },
  };
}

/** A PodTemplate (core/v1, pod at template.spec) around a good pod spec. */
export function podTemplate(edit: (spec: Record<string, any>) => void = () => {}, metadata: Record<string, any> = {}): Record<string, any> {
  const spec = goodPodSpec();
  edit(spec);
  return { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'tpl', namespace: 'production' }, template: { metadata, spec } };
}

/** A Windows pod that Pod Security Standards restricted admits: no Linux-only fields. */
export function windowsPod(): Record<string, any> {
  return podObject((s) => {
    s.os = { name: 'windows' };
    s.securityContext = { runAsNonRoot: true, windowsOptions: { runAsUserName: 'ContainerUser' } };
    s.containers[0].securityContext = { runAsNonRoot: true };
  });
}

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

function service(type: string, annotations?: Record<string, string>): Record<string, any> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'production', ...(annotations ? { annotations } : {}) },
    spec: { type, selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

export const FIXTURES: Record<string, RuleFixtures> = {
  'required-labels': {
    pass: [
      { name: 'deployment with app, version and component', object: deployment() },
      { name: 'statefulset with the labels', object: deployment(() => {}, 'StatefulSet') },
      { name: 'custom labels parameter', object: deployment((d) => { d.metadata.labels = { team: 'shop' }; }), parameters: { labels: ['team'] } },
    ],
    fail: [
      { name: 'missing version', object: deployment((d) => { delete d.metadata.labels.version; }) },
      { name: 'no labels at all', object: deployment((d) => { delete d.metadata.labels; }) },
      { name: 'empty component value', object: deployment((d) => { d.metadata.labels.component = ''; }) },
      { name: 'daemonset missing app', object: deployment((d) => { delete d.metadata.labels.app; }, 'DaemonSet') },
    ],
  },
  'container-resources': {
    pass: [
      { name: 'deployment with requests and limits', object: deployment() },
      { name: 'pod with requests and limits', object: podObject() },
      { name: 'cronjob with requests and limits', object: cronJob() },
      { name: 'only memory required', object: deployment((d) => { delete main(d).resources.limits.cpu; }), parameters: { requests: ['cpu', 'memory'], limits: ['memory'] } },
    ],
    fail: [
      { name: 'no resources', object: deployment((d) => { delete main(d).resources; }) },
      { name: 'no cpu limit', object: deployment((d) => { delete main(d).resources.limits.cpu; }) },
      { name: 'no memory request', object: deployment((d) => { delete main(d).resources.requests.memory; }) },
      { name: 'init container without limits', object: deployment((d) => { pod(d).initContainers = [{ ...goodContainer('init'), resources: { requests: { cpu: '10m', memory: '16Mi' } } }]; }) },
      { name: 'pod without requests', object: podObject((s) => { delete s.containers[0].resources.requests; }) },
      { name: 'cronjob without limits', object: cronJob((s) => { delete s.containers[0].resources.limits; }) },
    ],
  },
  'disallowed-tags': {
    pass: [
      { name: 'release tag', object: deployment() },
      { name: 'digest', object: deployment((d) => { main(d).image = 'registry.example.com/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'; }) },
      { name: 'registry with port and tag', object: deployment((d) => { main(d).image = 'registry.example.com:5000/api:v2'; }) },
      { name: 'tag that merely contains latest', object: deployment((d) => { main(d).image = 'registry.example.com/api:latest-fix'; }) },
      { name: 'tag and digest', object: deployment((d) => { main(d).image = `registry.example.com/api:v1@${DIGEST}`; }) },
      { name: 'replication controller with a release tag', object: replicationController() },
    ],
    fail: [
      { name: 'latest tag', object: deployment((d) => { main(d).image = 'registry.example.com/api:latest'; }) },
      { name: 'untagged', object: deployment((d) => { main(d).image = 'nginx'; }) },
      { name: 'registry port but no tag', object: deployment((d) => { main(d).image = 'registry.example.com:5000/api'; }) },
      { name: 'custom disallowed tag', object: deployment((d) => { main(d).image = 'registry.example.com/api:edge'; }), parameters: { tags: ['latest', 'edge'] } },
      { name: 'init container on latest', object: deployment((d) => { pod(d).initContainers = [goodContainer('init', 'busybox:latest')]; }) },
      { name: 'empty tag (r.io/app:)', object: deployment((d) => { main(d).image = 'r.io/app:'; }) },
      { name: 'empty digest (r.io/app@)', object: deployment((d) => { main(d).image = 'r.io/app@'; }) },
      { name: 'short digest', object: deployment((d) => { main(d).image = 'r.io/app@sha256:0123456789abcdef'; }) },
      { name: 'digest without algorithm', object: deployment((d) => { main(d).image = 'r.io/app@0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'; }) },
      { name: 'replication controller on latest', object: replicationController((s) => { s.containers[0].image = 'nginx:latest'; }) },
      { name: 'pod template untagged', object: podTemplate((s) => { s.containers[0].image = 'nginx'; }) },
    ],
  },
  'immutable-tags': {
    pass: [
      { name: 'full version with v', object: deployment() },
      { name: 'full version', object: deployment((d) => { main(d).image = 'nginx:1.27.3'; }) },
      { name: 'full version with a suffix', object: deployment((d) => { main(d).image = 'redis:7.2.11-alpine'; }) },
      { name: 'build id (commit hash)', object: deployment((d) => { main(d).image = 'registry.example.com:5000/api:3f9c2d1e'; }) },
      { name: 'digest', object: deployment((d) => { main(d).image = `nginx@${DIGEST}`; }) },
      { name: 'listed exact image', object: deployment((d) => { main(d).image = 'postgres:15.17'; }), parameters: { images: ['postgres:15.17'] } },
      { name: 'cronjob with a full version', object: cronJob() },
    ],
    fail: [
      { name: 'nginx:stable', object: deployment((d) => { main(d).image = 'nginx:stable'; }) },
      { name: 'redis:7-alpine', object: deployment((d) => { main(d).image = 'redis:7-alpine'; }) },
      { name: 'postgres:15-alpine', object: deployment((d) => { main(d).image = 'postgres:15-alpine'; }) },
      { name: 'two-part version', object: deployment((d) => { main(d).image = 'nginx:1.25'; }) },
      { name: 'two-part version not listed', object: deployment((d) => { main(d).image = 'postgres:15.17'; }) },
      { name: 'latest', object: deployment((d) => { main(d).image = 'nginx:latest'; }) },
      { name: 'untagged', object: deployment((d) => { main(d).image = 'registry.example.com:5000/api'; }) },
      { name: 'short digest', object: deployment((d) => { main(d).image = 'nginx@sha256:0123'; }) },
      { name: 'init container floating', object: deployment((d) => { pod(d).initContainers = [goodContainer('init', 'busybox:1')]; }) },
      { name: 'pod floating', object: podObject((s) => { s.containers[0].image = 'nginx:mainline'; }) },
    ],
  },
  'read-only-root-filesystem': {
    pass: [
      { name: 'read-only root', object: deployment() },
      { name: 'windows pod', object: windowsPod() },
      { name: 'cronjob read-only', object: cronJob() },
    ],
    fail: [
      { name: 'unset', object: deployment((d) => { delete main(d).securityContext.readOnlyRootFilesystem; }) },
      { name: 'false', object: deployment((d) => { main(d).securityContext.readOnlyRootFilesystem = false; }) },
      { name: 'no securityContext', object: podObject((s) => { delete s.containers[0].securityContext; }) },
      { name: 'init container writable', object: deployment((d) => { pod(d).initContainers = [{ ...goodContainer('init'), securityContext: { readOnlyRootFilesystem: false } }]; }) },
      { name: 'replication controller writable', object: replicationController((s) => { s.containers[0].securityContext.readOnlyRootFilesystem = false; }) },
    ],
  },
  'allowed-volume-types': {
    pass: [
      { name: 'emptyDir and configMap', object: deployment() },
      { name: 'no volumes', object: podObject((s) => { delete s.volumes; }) },
      { name: 'pvc, secret, projected, downwardAPI', object: deployment((d) => {
        pod(d).volumes = [
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          { name: 's', secret: { secretName: 's' } },
          { name: 'p', projected: { sources: [] } },
          { name: 'd', downwardAPI: { items: [] } },
        ];
      }) },
      { name: 'csi allowed by parameter', object: deployment((d) => { pod(d).volumes = [{ name: 'c', csi: { driver: 'secrets-store.csi.k8s.io' } }]; }), parameters: { types: ['csi', 'emptyDir'] } },
    ],
    fail: [
      { name: 'csi by default', object: deployment((d) => { pod(d).volumes = [{ name: 'c', csi: { driver: 'secrets-store.csi.k8s.io' } }]; }) },
      { name: 'ephemeral by default', object: deployment((d) => { pod(d).volumes = [{ name: 'e', ephemeral: { volumeClaimTemplate: { spec: {} } } }]; }) },
      { name: 'hostPath', object: podObject((s) => { s.volumes.push({ name: 'h', hostPath: { path: '/' } }); }) },
      { name: 'nfs', object: cronJob((s) => { s.volumes.push({ name: 'n', nfs: { server: 'nfs', path: '/' } }); }) },
      { name: 'emptyDir not in the parameter', object: deployment(), parameters: { types: ['configMap'] } },
    ],
  },
  'allowed-registries': {
    pass: [
      { name: 'image from the allowed registry', object: deployment(), parameters: { repos: ['registry.example.com/'] } },
      { name: 'second allowed registry', object: deployment((d) => { main(d).image = 'mirror.example.org/api:v1'; }), parameters: { repos: ['registry.example.com/', 'mirror.example.org/'] } },
    ],
    fail: [
      { name: 'docker hub image', object: deployment((d) => { main(d).image = 'nginx:1.27'; }), parameters: { repos: ['registry.example.com/'] } },
      { name: 'lookalike registry', object: deployment((d) => { main(d).image = 'registry.example.com.evil.io/api:v1'; }), parameters: { repos: ['registry.example.com/'] } },
      { name: 'init container from elsewhere', object: deployment((d) => { pod(d).initContainers = [goodContainer('init', 'quay.io/tool:v1')]; }), parameters: { repos: ['registry.example.com/'] } },
    ],
  },
  'required-probes': {
    pass: [
      { name: 'both probes', object: deployment() },
      { name: 'statefulset with both probes', object: deployment(() => {}, 'StatefulSet') },
    ],
    fail: [
      { name: 'no liveness probe', object: deployment((d) => { delete main(d).livenessProbe; }) },
      { name: 'no readiness probe', object: deployment((d) => { delete main(d).readinessProbe; }) },
      { name: 'second container without probes', object: deployment((d) => { const c = goodContainer('sidecar'); delete c.livenessProbe; delete c.readinessProbe; pod(d).containers.push(c); }) },
    ],
  },
  'pss-restricted': {
    pass: [
      { name: 'restricted deployment', object: deployment() },
      { name: 'restricted pod', object: podObject() },
      { name: 'restricted cronjob', object: cronJob() },
      { name: 'NET_BIND_SERVICE added back', object: deployment((d) => { main(d).securityContext.capabilities.add = ['NET_BIND_SERVICE']; }) },
      { name: 'runAsNonRoot and seccomp only on containers', object: deployment((d) => {
        pod(d).securityContext = {};
        main(d).securityContext.runAsNonRoot = true;
        main(d).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/api.json' };
      }) },
      { name: 'pvc, secret, projected and csi volumes', object: deployment((d) => {
        pod(d).volumes = [
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          { name: 's', secret: { secretName: 's' } },
          { name: 'p', projected: { sources: [] } },
          { name: 'c', csi: { driver: 'secrets-store.csi.k8s.io' } },
        ];
      }) },
      { name: 'windows pod that PSS admits', object: windowsPod() },
      { name: 'safe sysctl', object: deployment((d) => { pod(d).securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]; }) },
      { name: 'allowed SELinux type and level', object: deployment((d) => { main(d).securityContext.seLinuxOptions = { type: 'container_init_t', level: 's0:c1,c2' }; }) },
      { name: 'AppArmor runtime/default and localhost', object: { ...podObject(), metadata: { name: 'aa', namespace: 'production', annotations: {
        'container.apparmor.security.beta.kubernetes.io/main': 'runtime/default', 'container.apparmor.security.beta.kubernetes.io/side': 'localhost/k8s-apparmor' } } } },
      { name: 'procMount Default', object: deployment((d) => { main(d).securityContext.procMount = 'Default'; }) },
      { name: 'replication controller', object: replicationController() },
      { name: 'pod template', object: podTemplate() },
    ],
    fail: [
      { name: 'privileged replication controller', object: replicationController((s) => { s.containers[0].securityContext.privileged = true; }) },
      { name: 'procMount Unmasked', object: deployment((d) => { main(d).securityContext.procMount = 'Unmasked'; }) },
      { name: 'unsafe sysctl net.core.somaxconn', object: deployment((d) => { pod(d).securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }]; }) },
      { name: 'SELinux type spc_t', object: deployment((d) => { main(d).securityContext.seLinuxOptions = { type: 'spc_t' }; }) },
      { name: 'SELinux user on the pod', object: deployment((d) => { pod(d).securityContext.seLinuxOptions = { user: 'system_u' }; }) },
      { name: 'AppArmor unconfined', object: deployment((d) => { d.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' }; }) },
      { name: 'HostProcess container', object: podObject((s) => { s.os = { name: 'windows' }; s.securityContext = { runAsNonRoot: true, windowsOptions: { hostProcess: true } }; s.containers[0].securityContext = { runAsNonRoot: true }; }) },
      { name: 'hostNetwork', object: cronJob((s) => { s.hostNetwork = true; }) },
      { name: 'hostPort', object: deployment((d) => { main(d).ports[0].hostPort = 8080; }) },
      { name: 'pod template escalating', object: podTemplate((s) => { s.containers[0].securityContext.allowPrivilegeEscalation = true; }) },
      { name: 'windows pod with runAsNonRoot false', object: ((p) => { p.spec.containers[0].securityContext.runAsNonRoot = false; return p; })(windowsPod()) },
      { name: 'ephemeral container without securityContext', object: podObject((s) => { s.ephemeralContainers = [{ name: 'debug', image: 'busybox:1.36.1' }]; }) },
      { name: 'privilege escalation allowed', object: deployment((d) => { main(d).securityContext.allowPrivilegeEscalation = true; }) },
      { name: 'privilege escalation unset', object: deployment((d) => { delete main(d).securityContext.allowPrivilegeEscalation; }) },
      { name: 'capabilities not dropped', object: deployment((d) => { delete main(d).securityContext.capabilities; }) },
      { name: 'NET_ADMIN added', object: deployment((d) => { main(d).securityContext.capabilities.add = ['NET_ADMIN']; }) },
      { name: 'pod runAsNonRoot false', object: deployment((d) => { pod(d).securityContext.runAsNonRoot = false; }) },
      { name: 'container runAsNonRoot false', object: deployment((d) => { main(d).securityContext.runAsNonRoot = false; }) },
      { name: 'runAsNonRoot nowhere', object: deployment((d) => { delete pod(d).securityContext.runAsNonRoot; delete main(d).securityContext.runAsNonRoot; }) },
      { name: 'runAsUser 0 on a container', object: deployment((d) => { main(d).securityContext.runAsUser = 0; }) },
      { name: 'seccomp Unconfined on the pod', object: deployment((d) => { pod(d).securityContext.seccompProfile = { type: 'Unconfined' }; }) },
      { name: 'no seccomp profile', object: deployment((d) => { delete pod(d).securityContext.seccompProfile; }) },
      { name: 'hostPath volume', object: deployment((d) => { pod(d).volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }) },
      { name: 'pod with an init container escalating', object: podObject((s) => { s.initContainers = [{ ...goodContainer('init'), securityContext: { capabilities: { drop: ['ALL'] } } }]; }) },
    ],
  },
  'host-access': {
    pass: [
      { name: 'no host access', object: deployment() },
      { name: 'hostNetwork explicitly false', object: deployment((d) => { pod(d).hostNetwork = false; }) },
      { name: 'privileged explicitly false', object: podObject((s) => { s.containers[0].securityContext.privileged = false; }) },
    ],
    fail: [
      { name: 'hostNetwork', object: deployment((d) => { pod(d).hostNetwork = true; }) },
      { name: 'hostPID', object: podObject((s) => { s.hostPID = true; }) },
      { name: 'hostIPC', object: cronJob((s) => { s.hostIPC = true; }) },
      { name: 'privileged container', object: deployment((d) => { main(d).securityContext.privileged = true; }) },
      { name: 'hostPath volume', object: deployment((d) => { pod(d).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); }) },
      { name: 'hostPort', object: deployment((d) => { main(d).ports[0].hostPort = 8080; }) },
      { name: 'privileged replication controller', object: replicationController((s) => { s.containers[0].securityContext.privileged = true; }) },
      { name: 'pod template on the host network', object: podTemplate((s) => { s.hostNetwork = true; }) },
    ],
  },
  'internal-load-balancer': {
    pass: [
      { name: 'ClusterIP service', object: service('ClusterIP') },
      { name: 'AWS internal scheme', object: service('LoadBalancer', { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }) },
      { name: 'AWS legacy internal annotation', object: service('LoadBalancer', { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }) },
      { name: 'Alibaba intranet', object: service('LoadBalancer', { 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'intranet' }) },
    ],
    fail: [
      { name: 'public load balancer', object: service('LoadBalancer') },
      { name: 'internet-facing scheme', object: service('LoadBalancer', { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' }) },
      { name: 'Alibaba internet address type', object: service('LoadBalancer', { 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'internet' }) },
      { name: 'only AWS accepted', object: service('LoadBalancer', { 'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'intranet' }), parameters: { annotations: ['service.beta.kubernetes.io/aws-load-balancer-scheme=internal'] } },
    ],
  },
};
