import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import {
  checkPodSecurityOfManifests,
  checkPodSecurity,
  findPodTemplates,
  PodSecurityLevel,
  PodSecurityViolation,
} from '../../lib/policy';
import { expectRestricted, loadDistManifests } from '../support/pod-security';

/** A container that passes the restricted profile on its own. */
function compliantContainer(name = 'app'): any {
  return {
    name,
    image: 'myregistry.com/app:v1.0.0',
    ports: [{ name: 'http', containerPort: 8080 }],
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      privileged: false,
      readOnlyRootFilesystem: true,
    },
  };
}

/** A pod that passes the restricted profile: non-root and seccomp set at pod level. */
function compliantPod(): { spec: any; metadata: any } {
  return {
    metadata: { name: 'app', annotations: {} },
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1001, runAsGroup: 1001, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' } },
      initContainers: [compliantContainer('init')],
      containers: [compliantContainer('app')],
      volumes: [
        { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
        { name: 'config', configMap: { name: 'app' } },
        { name: 'secrets', secret: { secretName: 'app' } },
        { name: 'token', projected: { sources: [] } },
        { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
      ],
    },
  };
}

type Mutation = (pod: { spec: any; metadata: any }) => void;
const app = (p: { spec: any }) => p.spec.containers[0];
const init = (p: { spec: any }) => p.spec.initContainers[0];

/** [description, level, expected rule, expected field, mutation] — each breaks exactly one control. */
const VIOLATIONS: [string, PodSecurityLevel, string, string, Mutation][] = [
  // Baseline
  ['pod hostProcess', 'baseline', 'hostProcess', 'spec.securityContext.windowsOptions.hostProcess', (p) => { p.spec.securityContext.windowsOptions = { hostProcess: true }; }],
  ['container hostProcess', 'baseline', 'hostProcess', 'spec.containers[0].securityContext.windowsOptions.hostProcess', (p) => { app(p).securityContext.windowsOptions = { hostProcess: true }; }],
  ['hostNetwork', 'baseline', 'hostNamespaces', 'spec.hostNetwork', (p) => { p.spec.hostNetwork = true; }],
  ['hostPID', 'baseline', 'hostNamespaces', 'spec.hostPID', (p) => { p.spec.hostPID = true; }],
  ['hostIPC', 'baseline', 'hostNamespaces', 'spec.hostIPC', (p) => { p.spec.hostIPC = true; }],
  ['privileged container', 'baseline', 'privileged', 'spec.containers[0].securityContext.privileged', (p) => { app(p).securityContext.privileged = true; }],
  ['privileged init container', 'baseline', 'privileged', 'spec.initContainers[0].securityContext.privileged', (p) => { init(p).securityContext.privileged = true; }],
  ['capability outside the default set', 'baseline', 'capabilities', 'spec.containers[0].securityContext.capabilities.add[0]', (p) => { app(p).securityContext.capabilities.add = ['SYS_ADMIN']; }],
  ['hostPath volume', 'baseline', 'hostPathVolumes', 'spec.volumes[5].hostPath', (p) => { p.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }],
  ['hostPort', 'baseline', 'hostPorts', 'spec.containers[0].ports[0].hostPort', (p) => { app(p).ports[0].hostPort = 8080; }],
  ['init container hostPort', 'baseline', 'hostPorts', 'spec.initContainers[0].ports[0].hostPort', (p) => { init(p).ports[0].hostPort = 80; }],
  ['AppArmor unconfined', 'baseline', 'appArmorProfile', 'metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]', (p) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'unconfined'; }],
  ['SELinux type', 'baseline', 'seLinuxOptions', 'spec.securityContext.seLinuxOptions.type', (p) => { p.spec.securityContext.seLinuxOptions = { type: 'spc_t' }; }],
  ['SELinux user', 'baseline', 'seLinuxOptions', 'spec.containers[0].securityContext.seLinuxOptions.user', (p) => { app(p).securityContext.seLinuxOptions = { user: 'system_u' }; }],
  ['SELinux role', 'baseline', 'seLinuxOptions', 'spec.containers[0].securityContext.seLinuxOptions.role', (p) => { app(p).securityContext.seLinuxOptions = { role: 'system_r' }; }],
  ['/proc mount Unmasked', 'baseline', 'procMount', 'spec.containers[0].securityContext.procMount', (p) => { app(p).securityContext.procMount = 'Unmasked'; }],
  ['pod seccomp Unconfined', 'baseline', 'seccompProfile', 'spec.securityContext.seccompProfile.type', (p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['container seccomp Unconfined', 'baseline', 'seccompProfile', 'spec.containers[0].securityContext.seccompProfile.type', (p) => { app(p).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['unsafe sysctl', 'baseline', 'sysctls', 'spec.securityContext.sysctls[1].name', (p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '65536' }]; }],
  // Restricted
  ['hostPath volume (restricted)', 'restricted', 'volumeTypes', 'spec.volumes[5].hostPath', (p) => { p.spec.volumes.push({ name: 'host', hostPath: { path: '/var/run' } }); }],
  ['nfs volume', 'restricted', 'volumeTypes', 'spec.volumes[5].nfs', (p) => { p.spec.volumes.push({ name: 'share', nfs: { server: 'nfs', path: '/x' } }); }],
  ['gitRepo volume', 'restricted', 'volumeTypes', 'spec.volumes[5].gitRepo', (p) => { p.spec.volumes.push({ name: 'src', gitRepo: { repository: 'https://x' } }); }],
  ['allowPrivilegeEscalation unset', 'restricted', 'allowPrivilegeEscalation', 'spec.containers[0].securityContext.allowPrivilegeEscalation', (p) => { delete app(p).securityContext.allowPrivilegeEscalation; }],
  ['allowPrivilegeEscalation true', 'restricted', 'allowPrivilegeEscalation', 'spec.containers[0].securityContext.allowPrivilegeEscalation', (p) => { app(p).securityContext.allowPrivilegeEscalation = true; }],
  ['runAsNonRoot unset everywhere', 'restricted', 'runAsNonRoot', 'spec.containers[0].securityContext.runAsNonRoot', (p) => { delete p.spec.securityContext.runAsNonRoot; }],
  ['pod runAsNonRoot false', 'restricted', 'runAsNonRoot', 'spec.securityContext.runAsNonRoot', (p) => { p.spec.securityContext.runAsNonRoot = false; }],
  ['container runAsNonRoot false overrides pod true', 'restricted', 'runAsNonRoot', 'spec.containers[0].securityContext.runAsNonRoot', (p) => { app(p).securityContext.runAsNonRoot = false; }],
  ['init container runAsNonRoot false', 'restricted', 'runAsNonRoot', 'spec.initContainers[0].securityContext.runAsNonRoot', (p) => { init(p).securityContext.runAsNonRoot = false; }],
  ['pod runAsUser 0', 'restricted', 'runAsUser', 'spec.securityContext.runAsUser', (p) => { p.spec.securityContext.runAsUser = 0; }],
  ['container runAsUser 0', 'restricted', 'runAsUser', 'spec.containers[0].securityContext.runAsUser', (p) => { app(p).securityContext.runAsUser = 0; }],
  ['seccomp unset everywhere', 'restricted', 'seccompProfile', 'spec.containers[0].securityContext.seccompProfile.type', (p) => { delete p.spec.securityContext.seccompProfile; }],
  ['container seccomp Unconfined (restricted)', 'restricted', 'seccompProfile', 'spec.containers[0].securityContext.seccompProfile.type', (p) => { app(p).securityContext.seccompProfile = { type: 'Unconfined' }; }],
  ['capabilities not dropped', 'restricted', 'capabilities', 'spec.containers[0].securityContext.capabilities.drop', (p) => { app(p).securityContext.capabilities = {}; }],
  ['init container drops only NET_RAW', 'restricted', 'capabilities', 'spec.initContainers[0].securityContext.capabilities.drop', (p) => { init(p).securityContext.capabilities = { drop: ['NET_RAW'] }; }],
  ['adds CHOWN (baseline default, not restricted)', 'restricted', 'capabilities', 'spec.containers[0].securityContext.capabilities.add[0]', (p) => { app(p).securityContext.capabilities.add = ['CHOWN']; }],
];

function violationsOf(mutate: Mutation, level: PodSecurityLevel): PodSecurityViolation[] {
  const pod = compliantPod();
  mutate(pod);
  return checkPodSecurity(pod.spec, pod.metadata, level);
}

describe('checkPodSecurity', () => {
  test.each(['baseline', 'restricted'] as const)('a compliant pod passes %s', (level) => {
    const pod = compliantPod();
    expect(checkPodSecurity(pod.spec, pod.metadata, level)).toEqual([]);
  });

  test('checks the restricted profile by default', () => {
    const pod = compliantPod();
    delete app(pod).securityContext.allowPrivilegeEscalation;
    expect(checkPodSecurity(pod.spec, pod.metadata).map((v) => v.rule)).toEqual(['allowPrivilegeEscalation']);
  });

  test.each(VIOLATIONS)('%s fails %s with rule %s at %s', (_name, level, rule, field, mutate) => {
    const found = violationsOf(mutate, level);
    // Only the one control breaks (it may break in several places, e.g. every container).
    expect(found.map((v) => v.rule)).toEqual(found.map(() => rule));
    expect(found).toContainEqual({ rule, level, field, message: expect.stringMatching(/.{20}/) });
  });

  test.each(VIOLATIONS.filter(([, level]) => level === 'baseline'))('%s also fails restricted', (_name, _level, _rule, _field, mutate) => {
    expect(violationsOf(mutate, 'restricted').length).toBeGreaterThanOrEqual(1);
  });

  // Those named "(restricted)" break a baseline control too: hostPath and Unconfined seccomp.
  test.each(VIOLATIONS.filter(([name, level]) => level === 'restricted' && !name.endsWith('(restricted)')))(
    '%s passes baseline', (_name, _level, _rule, _field, mutate) => {
      expect(violationsOf(mutate, 'baseline')).toEqual([]);
    });

  test('reports a violation in an ephemeral container', () => {
    const pod = compliantPod();
    pod.spec.ephemeralContainers = [{ ...compliantContainer('debug'), securityContext: { ...compliantContainer().securityContext, privileged: true } }];
    expect(checkPodSecurity(pod.spec, pod.metadata, 'baseline')).toEqual([
      expect.objectContaining({ rule: 'privileged', field: 'spec.ephemeralContainers[0].securityContext.privileged' }),
    ]);
  });

  describe('inheritance between pod and containers', () => {
    test('pod-level runAsNonRoot satisfies containers that leave it unset', () => {
      const pod = compliantPod();
      expect(app(pod).securityContext.runAsNonRoot).toBeUndefined();
      expect(checkPodSecurity(pod.spec, pod.metadata).filter((v) => v.rule === 'runAsNonRoot')).toEqual([]);
    });

    test('runAsNonRoot on every container satisfies the rule without a pod-level value', () => {
      const pod = compliantPod();
      delete pod.spec.securityContext.runAsNonRoot;
      app(pod).securityContext.runAsNonRoot = true;
      init(pod).securityContext.runAsNonRoot = true;
      expect(checkPodSecurity(pod.spec, pod.metadata)).toEqual([]);
    });

    test('a container that leaves runAsNonRoot unset fails when only its sibling sets it', () => {
      const pod = compliantPod();
      delete pod.spec.securityContext.runAsNonRoot;
      app(pod).securityContext.runAsNonRoot = true;
      expect(checkPodSecurity(pod.spec, pod.metadata)).toEqual([
        expect.objectContaining({ rule: 'runAsNonRoot', field: 'spec.initContainers[0].securityContext.runAsNonRoot' }),
      ]);
    });

    test('seccomp on every container satisfies the rule without a pod-level profile', () => {
      const pod = compliantPod();
      delete pod.spec.securityContext.seccompProfile;
      app(pod).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/app.json' };
      init(pod).securityContext.seccompProfile = { type: 'RuntimeDefault' };
      expect(checkPodSecurity(pod.spec, pod.metadata)).toEqual([]);
    });

    test('a pod-level Unconfined seccomp covers no container', () => {
      const found = violationsOf((p) => { p.spec.securityContext.seccompProfile = { type: 'Unconfined' }; }, 'restricted');
      expect(found.map((v) => v.field)).toEqual([
        'spec.securityContext.seccompProfile.type',
        'spec.initContainers[0].securityContext.seccompProfile.type',
        'spec.containers[0].securityContext.seccompProfile.type',
      ]);
    });

    test('a seccompProfile without a type is a bad value, not an unset one', () => {
      const found = violationsOf((p) => { app(p).securityContext.seccompProfile = {}; }, 'restricted');
      expect(found).toEqual([expect.objectContaining({ rule: 'seccompProfile', message: expect.stringMatching(/undefined is forbidden/) })]);
    });

    test('a container Unconfined seccomp fails even when the pod sets RuntimeDefault', () => {
      const found = violationsOf((p) => { init(p).securityContext.seccompProfile = { type: 'Unconfined' }; }, 'restricted');
      expect(found).toEqual([expect.objectContaining({ rule: 'seccompProfile', field: 'spec.initContainers[0].securityContext.seccompProfile.type' })]);
    });

    test('a container-level non-zero runAsUser passes', () => {
      const found = violationsOf((p) => { app(p).securityContext.runAsUser = 65534; }, 'restricted');
      expect(found).toEqual([]);
    });
  });

  describe('allowed values', () => {
    test.each([
      ['NET_BIND_SERVICE added back', (p: any) => { app(p).securityContext.capabilities.add = ['NET_BIND_SERVICE']; }],
      ['AppArmor runtime/default', (p: any) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'runtime/default'; }],
      ['AppArmor localhost profile', (p: any) => { p.metadata.annotations['container.apparmor.security.beta.kubernetes.io/app'] = 'localhost/k8s-app'; }],
      ['SELinux container_init_t with a level', (p: any) => { p.spec.securityContext.seLinuxOptions = { type: 'container_init_t', level: 's0:c123,c456' }; }],
      ['procMount Default', (p: any) => { app(p).securityContext.procMount = 'Default'; }],
      ['hostPort 0', (p: any) => { app(p).ports[0].hostPort = 0; }],
      ['every v1.28 safe sysctl', (p: any) => {
        p.spec.securityContext.sysctls = ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports',
          'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies'].map((name) => ({ name, value: '1' }));
      }],
      ['csi and ephemeral and downwardAPI volumes', (p: any) => {
        p.spec.volumes.push({ name: 'csi', csi: { driver: 'x' } }, { name: 'eph', ephemeral: { volumeClaimTemplate: {} } }, { name: 'dapi', downwardAPI: { items: [] } });
      }],
      ['explicit false host namespaces and hostProcess', (p: any) => {
        Object.assign(p.spec, { hostNetwork: false, hostPID: false, hostIPC: false });
        p.spec.securityContext.windowsOptions = { hostProcess: false };
      }],
    ])('%s passes restricted', (_name, mutate) => {
      expect(violationsOf(mutate as Mutation, 'restricted')).toEqual([]);
    });

    test('a v1.29 sysctl (tcp_keepalive_time) is not yet safe in policy version v1.28', () => {
      const found = violationsOf((p) => { p.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }]; }, 'baseline');
      expect(found.map((v) => v.rule)).toEqual(['sysctls']);
    });

    test('Windows pods are exempt from the restricted seccomp, capabilities and privilege escalation controls', () => {
      const pod = compliantPod();
      pod.spec.os = { name: 'windows' };
      delete pod.spec.securityContext.seccompProfile;
      app(pod).securityContext = {};
      init(pod).securityContext = {};
      expect(checkPodSecurity(pod.spec, pod.metadata)).toEqual([]);
    });
  });

  test('any single known-bad mutation of a compliant pod yields at least one violation', () => {
    const restrictedOnes = VIOLATIONS.map(([, , , , mutate]) => mutate);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: restrictedOnes.length - 1 }), fc.boolean(), (i, onInit) => {
        const pod = compliantPod();
        // Aim container-level mutations at the init container half of the time.
        if (onInit) {
          [pod.spec.containers, pod.spec.initContainers] = [pod.spec.initContainers, pod.spec.containers];
        }
        restrictedOnes[i](pod);
        return checkPodSecurity(pod.spec, pod.metadata, 'restricted').length >= 1;
      }),
      { numRuns: 300 },
    );
  });
});

describe('checkPodSecurity over random bad values', () => {
  const SAFE = new Set(['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_local_reserved_ports',
    'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.ping_group_range', 'net.ipv4.tcp_syncookies']);
  const ALLOWED_VOLUMES = new Set(['name', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

  test('any capability other than NET_BIND_SERVICE added to any container fails restricted', () => {
    fc.assert(fc.property(
      fc.string({ minLength: 1 }).filter((c) => c !== 'NET_BIND_SERVICE'), fc.boolean(),
      (cap, onInit) => {
        const pod = compliantPod();
        (onInit ? init(pod) : app(pod)).securityContext.capabilities.add = [cap];
        return checkPodSecurity(pod.spec, pod.metadata).some((v) => v.rule === 'capabilities');
      }));
  });

  test('any sysctl outside the v1.28 safe set fails baseline', () => {
    fc.assert(fc.property(fc.string().filter((n) => !SAFE.has(n)), (name) => {
      const pod = compliantPod();
      pod.spec.securityContext.sysctls = [{ name, value: '1' }];
      return checkPodSecurity(pod.spec, pod.metadata, 'baseline').some((v) => v.rule === 'sysctls');
    }));
  });

  test('any non-zero hostPort fails baseline', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 65535 }), (hostPort) => {
      const pod = compliantPod();
      app(pod).ports[0].hostPort = hostPort;
      return checkPodSecurity(pod.spec, pod.metadata, 'baseline').some((v) => v.rule === 'hostPorts');
    }));
  });

  test('any volume source outside the allowed types fails restricted', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }).filter((k) => !ALLOWED_VOLUMES.has(k) && k !== '__proto__'), (key) => {
      const pod = compliantPod();
      pod.spec.volumes.push({ name: 'v', [key]: {} });
      return checkPodSecurity(pod.spec, pod.metadata).some((v) => v.rule === 'volumeTypes');
    }));
  });
});

describe('findPodTemplates', () => {
  const podSpec = { containers: [{ name: 'x', image: 'x:1' }] };
  const template = { metadata: { labels: { app: 'x' } }, spec: podSpec };

  test.each([
    [{ kind: 'Pod', metadata: { name: 'p', namespace: 'ns' }, spec: podSpec }, 'Pod ns/p'],
    [{ kind: 'Deployment', metadata: { name: 'user-service', namespace: 'production' }, spec: { template } }, 'Deployment production/user-service'],
    [{ kind: 'ReplicaSet', metadata: { name: 'r' }, spec: { template } }, 'ReplicaSet r'],
    [{ kind: 'StatefulSet', metadata: { name: 's' }, spec: { template } }, 'StatefulSet s'],
    [{ kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template } }, 'DaemonSet d'],
    [{ kind: 'Job', metadata: { name: 'j' }, spec: { template } }, 'Job j'],
    [{ kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template } } } }, 'CronJob c'],
    [{ kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template } }, 'ReplicationController rc'],
  ])('finds the pod template of %o', (manifest, where) => {
    expect(findPodTemplates(manifest)).toEqual([{ podSpec, podMetadata: expect.anything(), where }]);
  });

  test('ignores kinds without a pod template and non-objects', () => {
    expect(findPodTemplates({ kind: 'Service', metadata: { name: 's' }, spec: {} })).toEqual([]);
    expect(findPodTemplates(null)).toEqual([]);
    expect(findPodTemplates('Pod')).toEqual([]);
  });
});

describe('test support: expectRestricted and loadDistManifests', () => {
  const deployment = (pod: { spec: any; metadata: any }) => ({
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'user-service', namespace: 'production' }, spec: { template: pod },
  });

  test('passes for compliant manifests', () => {
    expect(() => expectRestricted([deployment(compliantPod()), { kind: 'Service', metadata: { name: 's' } }])).not.toThrow();
  });

  test('lists every violation with object, field and message', () => {
    const pod = compliantPod();
    pod.spec.hostNetwork = true;
    app(pod).securityContext.allowPrivilegeEscalation = true;
    expect(() => expectRestricted([deployment(pod)])).toThrow(
      /2 Pod Security Standards \(restricted\) violation\(s\)[\s\S]*Deployment production\/user-service: spec\.hostNetwork \[hostNamespaces\][\s\S]*spec\.containers\[0\]\.securityContext\.allowPrivilegeEscalation \[allowPrivilegeEscalation\] privilege escalation must be disabled/,
    );
  });

  test('fails when there is no pod template to check', () => {
    expect(() => expectRestricted([{ kind: 'Service' }])).toThrow(/found none/);
  });

  test('loads every YAML document of every file under a folder', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-'));
    fs.mkdirSync(path.join(dir, 'nested'));
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'kind: Service\nmetadata: {name: s}\n---\nkind: Deployment\nmetadata: {name: d}\n');
    fs.writeFileSync(path.join(dir, 'nested', 'b.yaml'), '---\nkind: Pod\nmetadata: {name: p}\n---\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kind: Pod');
    expect(loadDistManifests(dir).map((m) => m.kind)).toEqual(['Service', 'Deployment', 'Pod']);
  });

  test('names the file on a YAML syntax error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'kind: [Pod\n');
    expect(() => loadDistManifests(dir)).toThrow(/bad\.yaml/);
  });

  test('stock cdk8s-plus-28 Deployment fails restricted (why SecureDeployment exists)', () => {
    const chart = Testing.chart();
    new kplus.Deployment(chart, 'stock', { containers: [{ image: 'nginx:1.25', portNumber: 8080 }] });
    const violations = checkPodSecurityOfManifests(Testing.synth(chart));
    expect(violations.map((v) => `${v.rule} ${v.field}`)).toEqual(
      expect.arrayContaining(['seccompProfile spec.containers[0].securityContext.seccompProfile.type', 'capabilities spec.containers[0].securityContext.capabilities.drop']),
    );
  });
});
