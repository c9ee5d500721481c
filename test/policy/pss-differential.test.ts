import * as fc from 'fast-check';
import { checkPodSecurity, checkPodSecurityOfManifests, findPodTemplates } from '../../lib/policy';
import { kubeCheck } from '../support/kube-check';

// Our rule names, per level, as k8s.io/pod-security-admission names its checks.
const CHECK_IDS: Record<string, string> = {
  'baseline/hostProcess': 'windowsHostProcess', 'baseline/hostNamespaces': 'hostNamespaces', 'baseline/privileged': 'privileged',
  'baseline/capabilities': 'capabilities_baseline', 'baseline/hostPathVolumes': 'hostPathVolumes', 'baseline/hostPorts': 'hostPorts',
  'baseline/appArmorProfile': 'appArmorProfile', 'baseline/seLinuxOptions': 'seLinuxOptions', 'baseline/procMount': 'procMount',
  'baseline/seccompProfile': 'seccompProfile_baseline', 'baseline/sysctls': 'sysctls',
  'restricted/volumeTypes': 'restrictedVolumes', 'restricted/allowPrivilegeEscalation': 'allowPrivilegeEscalation',
  'restricted/runAsNonRoot': 'runAsNonRoot', 'restricted/runAsUser': 'runAsUser', 'restricted/seccompProfile': 'seccompProfile_restricted',
  'restricted/capabilities': 'capabilities_restricted',
};

function ourChecks(pod: { metadata?: any; spec: any }): string[] {
  const ids = checkPodSecurity(pod.spec, pod.metadata, 'restricted').map(v => CHECK_IDS[`${v.level}/${v.rule}`] ?? `?${v.level}/${v.rule}`);
  return [...new Set(ids)].sort();
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const bool = opt(fc.boolean());
const seccomp = opt(fc.record({ type: fc.constantFrom('RuntimeDefault', 'Localhost', 'Unconfined') }));
const seLinux = opt(fc.record({
  type: opt(fc.constantFrom('', 'container_t', 'container_init_t', 'container_kvm_t', 'spc_t')),
  user: opt(fc.constantFrom('', 'system_u')), role: opt(fc.constantFrom('', 'system_r')), level: opt(fc.constantFrom('s0:c1')),
}, { requiredKeys: [] }));
const windowsOptions = opt(fc.record({ hostProcess: bool }, { requiredKeys: [] }));
const runAsUser = opt(fc.constantFrom(0, 1000));

const containerSc = opt(fc.record({
  privileged: bool, allowPrivilegeEscalation: bool, runAsNonRoot: bool, runAsUser, seccompProfile: seccomp, seLinuxOptions: seLinux,
  windowsOptions, procMount: opt(fc.constantFrom('Default', 'Unmasked')),
  capabilities: opt(fc.record({
    drop: opt(fc.subarray(['ALL', 'NET_RAW'])), add: opt(fc.subarray(['NET_BIND_SERVICE', 'CHOWN', 'NET_RAW', 'SYS_ADMIN'])),
  }, { requiredKeys: [] })),
}, { requiredKeys: [] }));

const container = (name: string) => fc.record({
  securityContext: containerSc,
  ports: opt(fc.array(fc.record({ containerPort: fc.constant(8080), hostPort: opt(fc.constantFrom(0, 8080)) }, { requiredKeys: ['containerPort'] }), { maxLength: 2 })),
}, { requiredKeys: [] }).map(c => ({ name, image: 'r.io/app:v1', ...c }));

const VOLUME_SOURCES: Record<string, unknown> = {
  emptyDir: {}, configMap: { name: 'c' }, secret: { secretName: 's' }, projected: { sources: [] }, downwardAPI: {},
  persistentVolumeClaim: { claimName: 'p' }, csi: { driver: 'd' }, ephemeral: {}, hostPath: { path: '/var' },
  gitRepo: { repository: 'r' }, nfs: { server: 's', path: '/' }, awsElasticBlockStore: { volumeID: 'v' },
};
const volume = fc.tuple(fc.constantFrom(...Object.keys(VOLUME_SOURCES)), fc.nat(99)).map(([k, n]) => ({ name: `v${n}`, [k]: VOLUME_SOURCES[k] }));

const SYSCTLS = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies', 'net.core.somaxconn', 'kernel.msgmax', 'net.ipv4.ip_forward'];

/** Pods spread over every control of PSS v1.28, most of them close to compliant. */
export const podArbitrary = fc.record({
  os: opt(fc.record({ name: fc.constantFrom('linux', 'windows') })),
  hostNetwork: bool, hostPID: bool, hostIPC: bool,
  securityContext: opt(fc.record({
    runAsNonRoot: bool, runAsUser, seccompProfile: seccomp, seLinuxOptions: seLinux, windowsOptions,
    sysctls: opt(fc.subarray(SYSCTLS, { maxLength: 2 }).map(names => names.map(name => ({ name, value: '1' })))),
  }, { requiredKeys: [] })),
  volumes: opt(fc.uniqueArray(volume, { maxLength: 3, selector: v => v.name })),
  containers: fc.integer({ min: 1, max: 2 }).chain(n => fc.tuple(...Array.from({ length: n }, (_, i) => container(`app${i}`)))),
  initContainers: opt(fc.tuple(container('init'))),
  ephemeralContainers: opt(fc.tuple(container('debug'))),
  appArmor: opt(fc.dictionary(fc.constantFrom('app0', 'init', 'debug'), fc.constantFrom('runtime/default', 'localhost/p', 'unconfined', ''), { maxKeys: 2 })),
}, { requiredKeys: ['containers'] }).map(({ appArmor, ...spec }) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: 'p',
    annotations: Object.fromEntries(Object.entries(appArmor ?? {}).map(([c, v]) => [`container.apparmor.security.beta.kubernetes.io/${c}`, v])),
  },
  spec,
}));

type Pod = { metadata: any; spec: any };
const eachContainer = (pod: Pod, f: (sc: any) => void) => {
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of pod.spec[list] ?? []) f((c.securityContext ??= {}));
  }
};
/** Fixes that move a random pod towards compliance; applying a random subset reaches both verdicts. */
const FIXES: ((pod: Pod) => void)[] = [
  pod => { pod.spec.securityContext = { ...pod.spec.securityContext, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }; },
  pod => eachContainer(pod, sc => { sc.allowPrivilegeEscalation = false; sc.capabilities = { ...sc.capabilities, drop: ['ALL'] }; }),
  pod => { delete pod.spec.hostNetwork; delete pod.spec.hostPID; delete pod.spec.hostIPC; delete pod.spec.volumes; },
  pod => eachContainer(pod, sc => {
    delete sc.privileged; delete sc.runAsNonRoot; delete sc.runAsUser; delete sc.seccompProfile;
    delete sc.procMount; delete sc.seLinuxOptions; delete sc.windowsOptions;
  }),
  pod => { pod.metadata.annotations = {}; if (pod.spec.securityContext) delete pod.spec.securityContext.sysctls; },
];
const pods = fc.tuple(podArbitrary, fc.array(fc.boolean(), { minLength: FIXES.length, maxLength: FIXES.length }))
  .map(([pod, apply]) => {
    const copy = structuredClone(pod);
    FIXES.forEach((fix, i) => apply[i] && fix(copy));
    return copy;
  });

describe('the Pod Security Standards checker agrees with k8s.io/pod-security-admission v0.28.15', () => {
  test('on random pods: the same failing controls (and so the same verdict)', () => {
    const sample = fc.sample(pods, { numRuns: 3000, seed: 128 });
    const theirs = kubeCheck<{ allowed: boolean; checks: string[]; error?: string }>('pss', sample);
    let admitted = 0;
    sample.forEach((pod, i) => {
      expect(theirs[i].error).toBeUndefined();
      expect({ pod, checks: ourChecks(pod) }).toEqual({ pod, checks: theirs[i].checks });
      expect(theirs[i].allowed).toBe(theirs[i].checks.length === 0);
      if (theirs[i].allowed) admitted++;
    });
    // The generator must reach both verdicts often enough to mean something.
    expect(admitted).toBeGreaterThan(150);
  });

  test('issue #17 reproductions are refused, the admitted Windows pod is admitted', () => {
    const base = fc.sample(podArbitrary, { numRuns: 1, seed: 1 })[0];
    const restricted = {
      ...base,
      metadata: { name: 'p', annotations: {} },
      spec: {
        securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
        containers: [{ name: 'app', image: 'r.io/app:v1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      },
    };
    const withSc = (sc: object) => ({
      ...restricted,
      spec: {
        ...restricted.spec,
        containers: [{ ...restricted.spec.containers[0], securityContext: { ...restricted.spec.containers[0].securityContext, ...sc } }],
      },
    });
    const cases = {
      procMount: withSc({ procMount: 'Unmasked' }),
      sysctl: { ...restricted, spec: { ...restricted.spec, securityContext: { ...restricted.spec.securityContext, sysctls: [{ name: 'net.core.somaxconn', value: '1024' }] } } },
      seLinux: withSc({ seLinuxOptions: { type: 'spc_t' } }),
      appArmor: { ...restricted, metadata: { name: 'p', annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } } },
      windows: { ...restricted, spec: { os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app', image: 'r.io/app:v1' }] } },
    };
    const casePods = Object.values(cases);
    const theirs = kubeCheck<{ allowed: boolean }>('pss', casePods);
    expect(theirs.map(t => t.allowed)).toEqual([false, false, false, false, true]);
    expect(casePods.map(p => ourChecks(p).length === 0)).toEqual([false, false, false, false, true]);
  });

  test('every pod-bearing kind is checked, including ReplicationController and PodTemplate', () => {
    const pod = { metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'x', securityContext: { privileged: true } }] } };
    const template = { metadata: pod.metadata, spec: pod.spec };
    const manifests = [
      { apiVersion: 'v1', kind: 'Pod', ...pod },
      { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'pt' }, template },
      { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template } },
      ...['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map(kind => ({ apiVersion: 'apps/v1', kind, metadata: { name: kind }, spec: { template } })),
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'cj' }, spec: { jobTemplate: { spec: { template } } } },
    ];
    expect(manifests.map(m => findPodTemplates(m).length)).toEqual(manifests.map(() => 1));
    const privileged = checkPodSecurityOfManifests(manifests).filter(v => v.rule === 'privileged').map(v => v.where);
    expect(privileged).toEqual(['Pod p', 'PodTemplate pt', 'ReplicationController rc', 'Deployment Deployment', 'ReplicaSet ReplicaSet', 'StatefulSet StatefulSet', 'DaemonSet DaemonSet', 'Job j', 'CronJob cj']);
  });
});
