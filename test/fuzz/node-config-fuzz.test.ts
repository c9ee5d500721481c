// Fuzz suite (issue #17), part 3: the lib/cluster constructs. They write node configuration files
// (kubeadm, kubelet, kube-proxy, audit, encryption and admission files), not API objects, so the
// harness runs with `nodeFiles`: a clear error naming the construct path, or output that reads back
// unchanged from YAML (ours and kubectl's reader). The PSS and API-schema parts do not apply: there
// is no pod in these files, and kubernetes-models has no schema for component configs (the
// kubeadm ones are checked by the real `kubeadm` in test/cluster, `npm run test:cluster`).
import { Chart, Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  AuditPolicy, EncryptionAtRest, EncryptionKeySource, EncryptionProvider, KubeadmConfiguration, KubeadmJoinConfiguration,
  KubeletHardening, KubeProxyHardening, PodSecurityAdmissionDefaults,
} from '../../lib/cluster';
import { expectBothOutcomes, fuzzConstruct, FUZZ_RUNS, HARSH_NUMBERS, HARSH_STRINGS, mutated } from './harness';

const str = fc.constantFrom(...HARSH_STRINGS);
const num = fc.constantFrom(...HARSH_NUMBERS);
const nodeFiles = { nodeFiles: true };
const duration = fc.constantFrom(Duration.minutes(5), Duration.seconds(0), Duration.millis(1500), Duration.hours(48), Duration.days(400));
const cidr = fc.constantFrom('10.244.0.0/16', '10.96.0.0/12', '10.0.0.1/16', 'fd00::/108', 'x', '', '10.0.0.0/33');
const address = fc.constantFrom('10.0.1.10', '0.0.0.0', '::1', 'node-1', '', '300.0.0.1');
const endpoint = fc.record({ address, reason: fc.constantFrom('', ' ', 'Prometheus scrapes it') });
const args = fc.dictionary(fc.constantFrom('v', 'anonymous-auth', 'profiling', '', 'bad flag', '--x'), fc.constantFrom('true', 'false', '2', ''), { maxKeys: 2, noNullPrototype: true });
const level = fc.constantFrom('restricted', 'baseline', 'privileged', 'strict', '');
const version = fc.constantFrom('v1.28.15', 'v1.29.0', '1.28.15', 'v1.27.0', 'v1.31.1', 'latest', '');
const companions = (chart: Chart) => ({
  auditPolicy: new AuditPolicy(chart, 'audit'),
  encryptionAtRest: new EncryptionAtRest(chart, 'encryption', { providers: [EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY'))] }),
  podSecurityAdmission: new PodSecurityAdmissionDefaults(chart, 'psa', { version: 'v1.28' }),
});
const HA = {
  kubernetesVersion: 'v1.28.15', clusterName: 'production-cluster', controlPlaneEndpoint: 'k8s-api.company.com:6443',
  controlPlaneNodes: [{ address: '10.0.1.10' }, { address: '10.0.1.11' }, { address: '10.0.1.12' }], serviceSubnet: '10.96.0.0/12', podSubnet: '10.244.0.0/16',
};
const kubeadmProps = mutated(HA as any, {
  'kubernetesVersion': version, 'clusterName': str, 'controlPlaneEndpoint': fc.constantFrom('k8s-api.company.com:6443', 'k8s-api.company.com', '10.0.1.10:6443', ':6443', 'https://x:6443', ''),
  'controlPlaneNodes': fc.array(fc.record({ address, name: str }, { requiredKeys: ['address'] }), { maxLength: 3 }),
  'apiServerBindPort': num, 'certSans': fc.subarray(['10.0.1.11', 'api.internal', '', 'a b', '*.company.com']),
  'serviceSubnet': cidr, 'podSubnet': cidr, 'dnsDomain': fc.constantFrom('cluster.local', '', 'Bad_Domain', 'a..b'),
  'criSocket': fc.constantFrom('unix:///run/containerd/containerd.sock', '/run/x.sock', '', 'tcp://1.2.3.4:1'), 'externalCloudProvider': fc.boolean(),
  'kubeletExtraArgs': args, 'apiServerExtraArgs': args, 'controllerManagerExtraArgs': args, 'schedulerExtraArgs': args,
  'etcd.autoCompactionRetentionHours': num, 'etcd.quotaBackendBytes': num, 'etcd.maxRequestBytes': num,
  'auditLog.directory': fc.constantFrom('/var/log/kubernetes/audit', 'relative', '', '/'), 'auditLog.maxAgeDays': num, 'auditLog.maxBackups': num, 'auditLog.maxSizeMegabytes': num,
  'admissionPlugins': fc.subarray(['NodeRestriction', 'AlwaysAdmit', '', 'EventRateLimit', 'Bogus']),
  'tlsCipherSuites': fc.subarray(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA', '', 'x']),
  'controllerManagerEndpoint': endpoint, 'schedulerEndpoint': endpoint, 'etcdMetricsEndpoint': endpoint, 'clusterSigningDuration': duration,
});

jest.setTimeout(Math.max(120_000, FUZZ_RUNS * 600));

describe('fuzz: node configuration constructs fail clearly or write files that read back unchanged', () => {
  test('KubeadmConfiguration and KubeadmJoinConfiguration', () => {
    expectBothOutcomes(fuzzConstruct(kubeadmProps, (chart, p) => new KubeadmConfiguration(chart, 'kubeadm', { ...companions(chart), ...p }), FUZZ_RUNS, nodeFiles));
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      controlPlaneAddress: address, nodeName: str, discoveryKubeconfig: fc.constantFrom('/etc/kubernetes/discovery.conf', 'relative', '', '/'),
    }), (chart, p) => {
      const cluster = new KubeadmConfiguration(chart, 'kubeadm', { ...HA, ...companions(chart) });
      new KubeadmJoinConfiguration(chart, 'join', { cluster, ...p });
    }, FUZZ_RUNS, nodeFiles));
  });

  test('KubeletHardening and KubeProxyHardening', () => {
    const threshold = fc.constantFrom('100Mi', '10%', '0%', '101%', '', 'lots', '1Ei');
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      'containerRuntimeEndpoint': fc.constantFrom('unix:///run/containerd/containerd.sock', '', '/x.sock'), 'cgroupDriver': fc.constantFrom('systemd', 'cgroupfs', 'none'),
      'resolvConf': fc.constantFrom('/run/systemd/resolve/resolv.conf', 'relative', ''), 'runtimeRequestTimeout': duration,
      'tlsCipherSuites': fc.subarray(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA', '']), 'podPidsLimit': num,
      'streamingConnectionIdleTimeout': duration, 'eventRecordQps': num, 'shutdownGracePeriod': duration, 'shutdownGracePeriodCriticalPods': duration,
      'evictionHard.memoryAvailable': threshold, 'evictionHard.nodefsAvailable': threshold, 'evictionHard.nodefsInodesFree': threshold, 'evictionHard.imagefsAvailable': threshold,
      'seccompDefault': fc.boolean(),
    }), (chart, p) => new KubeletHardening(chart, 'kubelet', p), FUZZ_RUNS, nodeFiles));
    expectBothOutcomes(fuzzConstruct(mutated({ clusterCidr: '10.244.0.0/16' } as any, {
      clusterCidr: cidr, ipvsScheduler: fc.constantFrom('rr', 'lc', 'sh', 'bogus', ''), metricsEndpoint: endpoint,
      masqueradeAll: fc.constantFrom({ reason: '' }, { reason: ' ' }, { reason: 'Cloud LB needs SNAT' }),
    }), (chart, p) => new KubeProxyHardening(chart, 'proxy', p), FUZZ_RUNS, nodeFiles));
  });

  test('EncryptionKeySource factories (run before any construct exists) name themselves and the bad value', () => {
    expect(() => EncryptionKeySource.fromFile('relative')).toThrow(/^EncryptionKeySource\.fromFile: "relative" is not an absolute file path/);
    expect(() => EncryptionKeySource.fromEnvironment('bad name')).toThrow(/^EncryptionKeySource\.fromEnvironment: .*bad name/);
  });

  test('AuditPolicy, EncryptionAtRest, PodSecurityAdmissionDefaults', () => {
    const rule = fc.record({
      level: fc.constantFrom('None', 'Metadata', 'Request', 'RequestResponse', 'All'), users: fc.subarray(['system:kube-proxy', '', 'x']),
      userGroups: fc.subarray(['system:nodes', '']), verbs: fc.subarray(['get', 'watch', 'GET', '']),
      resources: fc.array(fc.record({ group: fc.constantFrom('', 'apps', 'x/y'), resources: fc.subarray(['secrets', 'pods/log', '', '*']) }, { requiredKeys: [] }), { maxLength: 2 }),
      nonResourceUrls: fc.subarray(['/healthz*', 'healthz', '/version', '']), namespaces: fc.subarray(['kube-system', 'Bad', '']),
    }, { requiredKeys: ['level'] });
    expectBothOutcomes(fuzzConstruct(fc.record({ nodePath: fc.constantFrom('/etc/kubernetes/audit-policy.yaml', 'relative', '', '/etc/../x'), defaultLevel: fc.constantFrom('Metadata', 'None', 'Everything'), rules: fc.array(rule, { maxLength: 2 }) }, { requiredKeys: [] }),
      (chart, { rules, ...p }: any) => {
        const policy = new AuditPolicy(chart, 'audit', p);
        for (const r of rules ?? []) policy.addRule(r);
      }, FUZZ_RUNS, nodeFiles));
    const provider = fc.constantFrom(
      () => EncryptionProvider.secretbox('key1', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY')),
      () => EncryptionProvider.aescbc('key1', EncryptionKeySource.fromFile('/etc/kubernetes/keys/aescbc')),
      () => EncryptionProvider.secretbox('', EncryptionKeySource.fromEnvironment('K8S_SECRETBOX_KEY')),
      () => EncryptionProvider.awsKms(), () => EncryptionProvider.alibabaKms({ timeout: Duration.seconds(0) }),
      () => EncryptionProvider.kmsV2('vault', { socketPath: '/run/kms/vault.sock' }), () => EncryptionProvider.kmsV2('', { socketPath: 'relative.sock' }),
      () => EncryptionProvider.identity(),
    );
    expectBothOutcomes(fuzzConstruct(fc.record({
      providers: fc.array(provider, { maxLength: 3 }), resources: fc.subarray(['secrets', 'configmaps', '', 'Secrets', 'x.y']), nodePath: fc.constantFrom('/etc/kubernetes/encryption.yaml', 'relative', ''),
    }, { requiredKeys: ['providers'] }), (chart, p: any) => new EncryptionAtRest(chart, 'encryption', { ...p, providers: p.providers.map((f: () => EncryptionProvider) => f()) }), FUZZ_RUNS, nodeFiles));
    expectBothOutcomes(fuzzConstruct(mutated({ version: 'v1.28' } as any, {
      version: fc.constantFrom('v1.28', 'latest', '1.28', 'v1', ''), enforce: level, audit: level, warn: level,
      exemptNamespaces: fc.subarray(['kube-system', 'Bad', '']), exemptUsernames: fc.subarray(['system:serviceaccount:x:y', '']),
      exemptRuntimeClasses: fc.subarray(['gvisor', '', 'Bad_Class']), nodePath: fc.constantFrom('/etc/kubernetes/admission.yaml', 'relative', ''),
    }), (chart, p) => new PodSecurityAdmissionDefaults(chart, 'psa', p), FUZZ_RUNS, nodeFiles));
  });
});
