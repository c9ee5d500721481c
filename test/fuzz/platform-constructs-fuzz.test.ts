// Fuzz suite (issue #17), part 2: the network, storage, registry, secrets, policy, GitOps and
// observability constructs that constructs-fuzz.test.ts does not cover. Same contract: for random,
// often hostile props, a clear error naming the construct path, or output that is schema-valid
// (kubernetes-models for built-in kinds, the vendored CRDs in crds/ for the rest), PSS restricted
// and unchanged through YAML.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as fc from 'fast-check';
import { expectBothOutcomes, fuzzConstruct, FUZZ_RUNS, HARSH_NUMBERS, HARSH_STRINGS, mutated } from './harness';
import { PodSecurityPolicy } from '../../lib/namespace';
import { CalicoBgpConfiguration, CalicoDefaultDeny, CalicoInstallation, CalicoIpPool, ExistingWorkload, WorkloadNetworkPolicy } from '../../lib/network';
import { FluentBitSidecar } from '../../lib/observability';
import { AdmissionPolicy, ClusterPolicies, GatekeeperConstraint, PolicyPack } from '../../lib/policy';
import { AcrCredentialHelper, DefaultServiceAccount, RegistryPullSecret } from '../../lib/registry';
import { ClusterSecretStore, SecretStore, SecretStoreProvider } from '../../lib/secrets';
import { LocalPersistentVolume, LocalStorageClass } from '../../lib/storage';
import { ArgoCdApplication } from '../../lib/synth';
import { PriorityClass, SecureDeployment } from '../../lib/workload';
import { FakeWorkload } from '../support/fake-workload';

const str = fc.constantFrom(...HARSH_STRINGS);
const num = fc.constantFrom(...HARSH_NUMBERS);
const dict = <T>(k: fc.Arbitrary<string>, v: fc.Arbitrary<T>) => fc.dictionary(k, v, { maxKeys: 3, noNullPrototype: true });
const cidr = fc.constantFrom('10.0.0.0/16', '10.0.1.0/24', '192.168.0.0/33', '10.0.0.1/16', 'fd00::/108', '0.0.0.0/0', '10.0.0.0', 'x', '', '300.1.1.1/8');
const port = fc.constantFrom(443, 8080, 'http', 0, 65536, -1, 1.5, 'Bad_Name', '', NaN);
const labels = dict(fc.constantFrom('app', 'tier', 'bad key!', '', 'example.com/x'), fc.constantFrom('api', '', 'x'.repeat(64), 'a b'));
const vault = () => SecretStoreProvider.vault({ server: 'https://vault.company.com:8200', auth: { kubernetes: { role: 'production' } } });
const fixtures = (chart: Chart) => new Chart(chart.node.scope as App, 'fixtures');

jest.setTimeout(Math.max(120_000, FUZZ_RUNS * 600));

describe('fuzz: platform constructs fail clearly or emit valid output', () => {
  test('WorkloadNetworkPolicy (allowFrom, allowTo, allowFromNamespace, allowFromCidr, allowToCidr, allowToNamespace)', () => {
    const flow = fc.oneof(
      fc.record({ kind: fc.constant('from'), port, bothEnds: fc.boolean() }),
      fc.record({ kind: fc.constant('to'), port, bothEnds: fc.boolean() }),
      fc.record({ kind: fc.constant('fromNamespace'), ns: str, port, podSelector: labels }, { requiredKeys: ['kind', 'ns'] }),
      fc.record({ kind: fc.constant('fromCidr'), cidr, port, except: fc.array(cidr, { maxLength: 2 }) }, { requiredKeys: ['kind', 'cidr'] }),
      fc.record({ kind: fc.constant('toCidr'), cidr, ports: fc.array(port, { maxLength: 2 }), protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp'), except: fc.array(cidr, { maxLength: 2 }) }, { requiredKeys: ['kind', 'cidr', 'ports'] }),
      fc.record({ kind: fc.constant('toNamespace'), ns: str, ports: fc.array(port, { maxLength: 2 }), podSelector: labels }, { requiredKeys: ['kind', 'ns', 'ports'] }),
    );
    expectBothOutcomes(fuzzConstruct(fc.array(flow, { minLength: 1, maxLength: 3 }), (chart, flows: any[]) => {
      const api = new SecureDeployment(chart, 'api', { image: 'r.io/api:v1.2.3' });
      const peer = FakeWorkload.of(fixtures(chart), 'user-service');
      const policy = WorkloadNetworkPolicy.of(api);
      for (const f of flows) {
        const { kind, ns, cidr: c, ...options } = f;
        if (kind === 'from') policy.allowFrom(peer, options);
        else if (kind === 'to') policy.allowTo(peer, options);
        else if (kind === 'fromNamespace') policy.allowFromNamespace(ns, options);
        else if (kind === 'fromCidr') policy.allowFromCidr(c, options);
        else if (kind === 'toCidr') policy.allowToCidr(c, options);
        else policy.allowToNamespace(ns, options);
      }
    }));
  });

  test('ExistingWorkload (as a flow peer) and PodSecurityPolicy (always a clear error)', () => {
    expectBothOutcomes(fuzzConstruct(mutated({ name: 'frontend', namespace: 'web' } as any, {
      name: fc.oneof(str, fc.constant('frontend')), namespace: str, selectorLabels: labels,
      ports: fc.array(fc.record({ name: str, number: port, protocol: fc.constantFrom('TCP', 'UDP', 'SCTP', 'ICMP') }, { requiredKeys: ['name', 'number'] }), { maxLength: 2 }),
      serviceAccountName: str, serviceName: str,
    }), (chart, p) => {
      const api = new SecureDeployment(chart, 'api', { image: 'r.io/api:v1.2.3' });
      WorkloadNetworkPolicy.of(api).allowFrom(ExistingWorkload.fromAttributes(chart, 'frontend', p));
    }));
    const outcomes = fuzzConstruct(fc.constant({}), (chart) => new PodSecurityPolicy(chart, 'psp'), 1);
    expect(outcomes).toEqual([{ kind: 'error', message: expect.stringMatching(/^PodSecurityPolicy 'fuzz\/psp': .*RestrictedNamespace/) }]);
  });

  test('CalicoDefaultDeny, CalicoIpPool, CalicoBgpConfiguration, CalicoInstallation', () => {
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      namespace: str, excludedNamespaces: fc.subarray(['kube-system', '', 'Bad', 'calico-system']), allowDns: fc.boolean(), name: str,
    }), (chart, p) => new CalicoDefaultDeny(chart, 'deny', p)));
    const mode = fc.constantFrom('Never', 'Always', 'CrossSubnet', 'always', '');
    expectBothOutcomes(fuzzConstruct(mutated({ cidr: '10.244.0.0/16' } as any, {
      name: str, cidr, blockSize: fc.constantFrom(26, 20, 32, 33, 0, 116, 1.5, NaN), ipipMode: mode, vxlanMode: mode,
      natOutgoing: fc.boolean(), nodeSelector: fc.constantFrom('all()', 'pool == "a"', '', 'pool == ', '!has(x)'), disabled: fc.boolean(),
    }), (chart, p) => new CalicoIpPool(chart, 'pool', p)));
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      name: fc.constantFrom('default', 'node.a', 'Bad', ''), asNumber: fc.constantFrom(64512, 0, 4294967295, 4294967296, -1, 1.5, NaN),
      nodeToNodeMeshEnabled: fc.boolean(), logSeverityScreen: fc.constantFrom('Info', 'Debug', 'Warning', 'Fatal', 'info', ''),
    }), (chart, p) => new CalicoBgpConfiguration(chart, 'bgp', p)));
    const pool = fc.record({
      cidr, name: str, blockSize: fc.constantFrom(26, 33, 0, 122), encapsulation: fc.constantFrom('IPIP', 'VXLAN', 'None', 'vxlan', 'IPIPCrossSubnet'),
      natOutgoing: fc.boolean(), nodeSelector: fc.constantFrom('all()', '', 'x =='),
    }, { requiredKeys: ['cidr'] });
    const detection = fc.record({ firstFound: fc.boolean(), interface: fc.constantFrom('eth.*', '(', ''), canReach: fc.constantFrom('8.8.8.8', 'x', ''), cidrs: fc.array(cidr, { maxLength: 2 }) }, { requiredKeys: [] });
    expectBothOutcomes(fuzzConstruct(mutated({ cni: 'Calico', ipPools: [{ cidr: '10.244.0.0/16' }] } as any, {
      cni: fc.constantFrom('Calico', 'AmazonVPC', 'AlibabaTerway', 'Flannel'), ipPools: fc.array(pool, { maxLength: 2 }), podSubnet: cidr,
      mtu: fc.constantFrom(1440, 0, 9001, 70000, 1.5, NaN), nodeAddressAutodetectionV4: detection, bgp: fc.boolean(),
      registry: fc.constantFrom('quay.io/', 'r.io', '', 'http://r.io', 'R.IO/'), imagePullSecrets: fc.subarray(['regcred', '', 'Bad_Name']),
    }), (chart, p) => new CalicoInstallation(chart, 'calico', p)));
  });

  test('LocalStorageClass and LocalPersistentVolume', () => {
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      name: str, volumeBindingMode: fc.constantFrom('WaitForFirstConsumer', 'Immediate', 'Later'), allowVolumeExpansion: fc.boolean(),
      reclaimPolicy: fc.constantFrom('Retain', 'Delete', 'Recycle', ''), isDefault: fc.boolean(), mountOptions: fc.subarray(['noatime', '', 'a b']),
    }), (chart, p) => new LocalStorageClass(chart, 'local', p)));
    expectBothOutcomes(fuzzConstruct(mutated({ capacity: Size.gibibytes(100), path: '/mnt/disks/ssd1', hostname: 'node-1' } as any, {
      name: str, capacity: fc.constantFrom(Size.gibibytes(100), Size.gibibytes(0), Size.mebibytes(1), Size.tebibytes(2000)),
      path: fc.constantFrom('/mnt/disks/ssd1', 'relative', '/', '', '/mnt/../etc', '/mnt/disks/ssd1/', '/var/lib/kubelet', '/mnt/a b'),
      hostname: str, volumeMode: fc.constantFrom('Filesystem', 'Block', 'Raw'),
      accessModes: fc.subarray(['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany', 'ReadWriteMany']), reclaimPolicy: fc.constantFrom('Retain', 'Delete', 'Recycle'),
    }), (chart, p) => new LocalPersistentVolume(chart, 'ssd1', { storageClass: new LocalStorageClass(chart, 'local'), ...p })));
  });

  test('RegistryPullSecret, DefaultServiceAccount, AcrCredentialHelper', () => {
    const pull = mutated({ fromExternalSecret: { remoteKey: 'production/registry/regcred' } } as any, {
      'name': str, 'namespace': str, 'fromExternalSecret.remoteKey': str, 'fromExternalSecret': fc.constant(undefined),
      'literal.server': fc.constantFrom('r.io', 'https://r.io', '', 'a b'), 'literal.username': str, 'literal.password': fc.constantFrom('s3cr3t', ''),
      'literal.allowPlaintextInManifests': fc.constantFrom(undefined, { reason: 'test fixture' }, { reason: ' ' }),
    }, 4);
    expectBothOutcomes(fuzzConstruct(pull, (chart, p) => {
      const store = new SecretStore(chart, 'vault', { provider: vault() });
      new RegistryPullSecret(chart, 'regcred', { ...p, fromExternalSecret: p.fromExternalSecret && { store, ...p.fromExternalSecret } });
    }));
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      namespace: str, secretNames: fc.array(str, { maxLength: 2 }), automountServiceAccountToken: fc.boolean(), workloads: fc.boolean(),
    }), (chart, p) => {
      const imagePullSecrets = (p.secretNames ?? ['regcred']).map((n: string, i: number) => RegistryPullSecret.fromName(chart, `pull${i}`, n, p.namespace));
      const workloads = p.workloads ? [new SecureDeployment(chart, 'web', { image: 'r.io/web:v1' })] : undefined;
      new DefaultServiceAccount(chart, 'default-sa', { namespace: p.namespace, automountServiceAccountToken: p.automountServiceAccountToken, imagePullSecrets, workloads });
    }));
    const registry = fc.record({
      instanceId: fc.constantFrom('cri-abc123', '', 'x y'), regionId: fc.constantFrom('cn-hangzhou', 'us-east-1', '', 'cn_hangzhou'),
      domains: fc.subarray(['registry.cn-hangzhou.aliyuncs.com', 'r.io', '', '*.aliyuncs.com']),
      assumeRoleArn: fc.constantFrom('acs:ram::123456789012:role/acr', 'arn:aws:iam::1:role/x', ''),
      expireDuration: fc.constantFrom(Duration.hours(1), Duration.seconds(0), Duration.days(2)),
    }, { requiredKeys: [] });
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      serviceAccounts: fc.oneof(fc.constant('*'), fc.subarray(['default', '', 'Bad', 'api'])), watchNamespaces: fc.oneof(fc.constant('all'), fc.subarray(['production', '', 'Bad'])),
      expiringThreshold: fc.constantFrom(Duration.minutes(15), Duration.seconds(0), Duration.days(1)), notifyEmail: fc.constantFrom('ops@company.com', 'x', ''),
      registries: fc.array(registry, { maxLength: 2 }),
    }), (chart, p) => new AcrCredentialHelper(chart, 'acr', p)));
  });

  test('SecretStore and ClusterSecretStore', () => {
    const provider = fc.oneof(
      mutated({ server: 'https://vault.company.com:8200', auth: { kubernetes: { role: 'production' } } } as any, {
        'server': fc.constantFrom('https://vault:8200', 'http://vault:8200', 'vault:8200', '', 'https://'), 'path': str, 'version': fc.constantFrom('v1', 'v2', 'v3'),
        'vaultNamespace': str, 'plainHttpReason': fc.constantFrom('', ' ', 'mesh mTLS'), 'auth.kubernetes.role': str, 'auth.kubernetes.mountPath': str,
        'auth.kubernetes.serviceAccount': fc.record({ name: str, namespace: str }, { requiredKeys: ['name'] }),
        'auth.tokenSecret': fc.record({ name: str, key: str, namespace: str }, { requiredKeys: ['name', 'key'] }),
      }).map(o => ({ vault: o })),
      mutated({ region: 'eu-west-1' } as any, {
        region: fc.constantFrom('eu-west-1', 'cn-north-1', '', 'EU-WEST-1', 'moon-1'), role: fc.constantFrom('arn:aws:iam::123456789012:role/eso', 'x', ''),
        serviceAccount: fc.record({ name: str, namespace: str }, { requiredKeys: ['name'] }),
      }).map(o => ({ aws: o })),
    );
    const interval = fc.constantFrom(Duration.hours(1), Duration.seconds(0), Duration.millis(100), Duration.days(400));
    const build = (p: any) => (p.vault ? SecretStoreProvider.vault(p.vault) : SecretStoreProvider.awsSecretsManager(p.aws));
    expectBothOutcomes(fuzzConstruct(fc.record({ provider, name: str, namespace: str, refreshInterval: interval }, { requiredKeys: ['provider'] }),
      (chart, p) => new SecretStore(chart, 'store', { ...p, provider: build(p.provider) })));
    expectBothOutcomes(fuzzConstruct(fc.record({ provider, name: str, namespaces: fc.array(str, { maxLength: 2 }), refreshInterval: interval }, { requiredKeys: ['provider', 'namespaces'] }),
      (chart, p) => new ClusterSecretStore(chart, 'store', { ...p, provider: build(p.provider) })));
  });

  test('FluentBitSidecar', () => {
    const output = fc.oneof(
      fc.constant({ kind: 'stdout' }),
      fc.record({ kind: fc.constantFrom('forward', 'elasticsearch', 'loki'), host: fc.constantFrom('logs.company.com', '', 'a b', 'x'.repeat(300)), port: port, tls: fc.boolean(), index: str }, { requiredKeys: ['kind', 'host'] }),
    );
    const qty = fc.constantFrom('50m', '0', '1Ei', 'lots', '', '64Mi');
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      logDir: fc.constantFrom('/var/log/app', 'relative', '/', '/tmp', ''), logFiles: fc.constantFrom('*.log', '', '../x'), parser: fc.constantFrom('json', 'none', 'regex'),
      timeKey: str, timeFormat: str, output, image: fc.constantFrom('fluent/fluent-bit:3.0.7', 'fluent-bit', 'r.io/fb:latest', ''),
      cpuRequest: qty, cpuLimit: qty, memoryRequest: qty, memoryLimit: qty,
      logVolumeSizeLimit: fc.constantFrom(Size.mebibytes(512), Size.mebibytes(0)),
      user: num, configMapName: str, outputPeer: fc.oneof(fc.record({ cidr }), fc.record({ namespace: str })),
    }), (chart, p) => {
      const api = new SecureDeployment(chart, 'api', { image: 'r.io/api:v1.2.3' });
      new FluentBitSidecar(chart, 'logs', { workload: api.deployment, container: api.container, ...p });
    }));
  });

  test('PriorityClass and ArgoCdApplication', () => {
    expectBothOutcomes(fuzzConstruct(mutated({ value: 1000, description: 'Customer-facing services' } as any, {
      name: str, value: fc.constantFrom(1000, 0, -1, 1e9, 1e9 + 1, 2e9, 1.5, NaN), description: str,
      preemptionPolicy: fc.constantFrom('PreemptLowerPriority', 'Never', 'Always'), globalDefault: fc.boolean(),
    }), (chart, p) => new PriorityClass(chart, 'critical', p)));
    expectBothOutcomes(fuzzConstruct(mutated({ repoUrl: 'https://git.company.com/platform/deploy.git', path: 'dist/aws/apps', destinationNamespace: 'production' } as any, {
      repoUrl: fc.constantFrom('https://git.company.com/a.git', 'git@git.company.com:a.git', 'http://x', '', 'not a url'),
      targetRevision: fc.constantFrom('main', 'HEAD', '', 'v1.2.3', 'a b'), path: fc.constantFrom('dist/aws', '/abs', '../up', '', 'dist/../x'),
      destinationNamespace: str, destinationServer: fc.constantFrom('https://kubernetes.default.svc', 'x', ''), project: str, name: str, namespace: str,
      automatedSync: fc.boolean(), prune: fc.boolean(), selfHeal: fc.boolean(), serverSideApply: fc.boolean(), createNamespace: fc.boolean(),
      extraSyncOptions: fc.subarray(['Validate=false', 'PruneLast=true', '', 'x', 'CreateNamespace=true']),
    }), (chart, p) => new ArgoCdApplication(chart, 'app', p)));
  });

  test('ClusterPolicies, GatekeeperConstraint, AdmissionPolicy', () => {
    const pack = new PolicyPack();
    const ruleIds = pack.rules.map(r => r.rule.id);
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      gatekeeper: fc.boolean(), admissionPolicies: fc.boolean(), enforcementAction: fc.constantFrom('deny', 'dryrun', 'warn', 'block'),
      paramsNamespace: str, disabled: fc.subarray(ruleIds, { maxLength: 3 }),
    }), (chart, { disabled, ...p }) => new ClusterPolicies(chart, 'policies', {
      ...p, pack: disabled && new PolicyPack({ rules: Object.fromEntries(disabled.map((id: string) => [id, { enabled: false }])) }),
    })));
    const props = fc.record({
      rule: fc.constantFrom(...pack.rules), enforcementAction: fc.constantFrom('deny', 'dryrun', 'warn', 'block'), paramsNamespace: str,
      validationActions: fc.subarray(['Deny', 'Warn', 'Audit', 'Block']), kubernetesVersion: fc.constantFrom('1.28', '1.29', '1.30', '1.27', 'x'),
    }, { requiredKeys: ['rule'] });
    expectBothOutcomes(fuzzConstruct(props, (chart, { rule, enforcementAction }: any) => new GatekeeperConstraint(chart, 'constraint', { rule, enforcementAction })));
    expectBothOutcomes(fuzzConstruct(props, (chart, { rule, paramsNamespace, validationActions, kubernetesVersion }: any) =>
      new AdmissionPolicy(chart, 'policy', { rule, paramsNamespace, validationActions, kubernetesVersion })));
  });
});
