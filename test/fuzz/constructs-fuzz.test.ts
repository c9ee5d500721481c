// Fuzz suite (issue #17): for random, often hostile props, every exported construct either fails
// with a clear error naming its construct path, or emits output that is schema-valid, PSS
// restricted and reads back unchanged from YAML. FUZZ_RUNS (default 200) runs per construct;
// `npm run fuzz:nightly` runs many more.
import { App, Chart, Duration, Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { expectBothOutcomes, fuzzConstruct, FUZZ_RUNS, HARSH_NUMBERS, HARSH_QUANTITIES, HARSH_STRINGS, mutated } from './harness';
import { AcmeClusterIssuer, IngressClass, SecureIngress } from '../../lib/ingress';
import { RbacClusterRole, RbacRole, RestrictedNamespace } from '../../lib/namespace';
import { AlertRules, ClusterAlertRules, WorkloadAlertRules, WorkloadMonitor } from '../../lib/observability';
import { ClusterSecretStore, ExternalSecret, LiteralSecret } from '../../lib/secrets';
import { EncryptedStorageClass, PostgresDatabase, RedisCache, StorageClassPreset } from '../../lib/storage';
import { SecureDeployment, WorkloadEnv } from '../../lib/workload';
import { FakeWorkload } from '../support/fake-workload';

const str = fc.constantFrom(...HARSH_STRINGS);
const num = fc.constantFrom(...HARSH_NUMBERS);
const qty = fc.constantFrom(...HARSH_QUANTITIES);
const dict = <T>(k: fc.Arbitrary<string>, v: fc.Arbitrary<T>) => fc.dictionary(k, v, { maxKeys: 3, noNullPrototype: true });
const key = fc.oneof(str, fc.constantFrom('KEY', 'app.yaml', 'example.com/owner', 'a.b-c_d'));
const percent = fc.constantFrom(0, 1, 2, 5, '0%', '25%', '100%', '101%', -1, 'x', 1.5);

// About 60 s on 2 cores for the whole file at 200 runs; the nightly run scales the timeout.
jest.setTimeout(Math.max(120_000, FUZZ_RUNS * 600));

describe('fuzz: every construct fails clearly or emits valid output', () => {
  test('SecureDeployment', () => {
    const env = fc.oneof(
      str.map(v => WorkloadEnv.value(v)),
      fc.tuple(str, key).map(([s, k]) => WorkloadEnv.fromSecret(s, k)),
      fc.tuple(str, key).map(([s, k]) => WorkloadEnv.fromConfigMap(s, k)),
      str.map(f => WorkloadEnv.fromField(f)),
    );
    const props = mutated({ image: 'r.io/api:v1.2.3' } as any, {
      'name': str,
      'image': fc.constantFrom('r.io/a:v1', 'r.io/a', 'r.io/a:latest', `r.io/a@sha256:${'a'.repeat(63)}`, `r.io/a@sha256:${'b'.repeat(64)}`, 'R.io/A:v1', '', 'r.io/a:'),
      'replicas': num,
      'resources.requests.cpu': qty, 'resources.limits.cpu': qty, 'resources.requests.memory': qty, 'resources.limits.memory': qty,
      'env': dict(fc.oneof(str, fc.constant('MODE')), env),
      'disruptionBudget.minAvailable': percent, 'disruptionBudget.maxUnavailable': percent,
      'rollingUpdate.maxSurge': percent, 'rollingUpdate.maxUnavailable': percent,
      'security.unsafeReason': fc.constantFrom('', '  ', 'needs the host network for the CNI'),
      'security.privileged': fc.boolean(), 'security.runAsUser': num, 'security.hostNetwork': fc.boolean(),
      'security.addCapabilities': fc.subarray(['NET_BIND_SERVICE', 'NET_ADMIN', 'cap_x']),
      'config.mountPath': fc.constantFrom('/tmp/', '/tmp', '/etc/config', 'relative', '/etc/../tmp'),
      'config.files': dict(key, str), 'config.data': dict(key, str),
      'service.annotations': dict(key, str),
      'serviceAccount.annotations': dict(key, str),
      'tolerations': fc.array(fc.record({ key: str, operator: fc.constantFrom('Exists', 'Equal'), value: str, effect: fc.constantFrom('NoSchedule', 'NoExecute') }, { requiredKeys: [] }), { maxLength: 2 }),
      'ports': fc.array(fc.record({ name: str, number: num }), { minLength: 1, maxLength: 2 }),
    });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => new SecureDeployment(chart, 'api', p)));
  });

  test('PostgresDatabase and RedisCache', () => {
    const props = mutated({ credentials: { secretName: 'db-credentials' } } as any, {
      'name': str,
      'credentials.secretName': str,
      'image': fc.constantFrom('postgres:16.4', 'postgres', 'r.io/pg:latest', 'redis:7.2.5'),
      'storageSize': fc.constantFrom(Size.gibibytes(1), Size.gibibytes(20), Size.mebibytes(500), Size.gibibytes(0)),
      'resources.cpuRequest': fc.constantFrom(Cpu.millis(250), Cpu.units(2), Cpu.millis(0)),
      'resources.cpuLimit': fc.constantFrom(Cpu.millis(100), Cpu.units(1)),
      'resources.memoryLimit': fc.constantFrom(Size.mebibytes(256), Size.gibibytes(2), Size.mebibytes(1)),
      'partOf': str, 'priorityClassName': str,
    });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => new PostgresDatabase(chart, 'db', p)));
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => new RedisCache(chart, 'cache', p)));
  });

  test('RestrictedNamespace', () => {
    const props = mutated({ name: 'shop' } as any, {
      'name': str, 'labels': dict(key, str), 'podSecurityVersion': fc.constantFrom('v1.28', 'latest', 'v1', '1.28', ''),
      'quota.requestsCpu': qty, 'quota.requestsMemory': qty, 'quota.limitsCpu': qty, 'quota.limitsMemory': qty, 'quota.pods': num,
      'limitRange.defaultRequestCpu': qty, 'limitRange.defaultLimitCpu': qty, 'limitRange.defaultRequestMemory': qty, 'limitRange.defaultLimitMemory': qty,
      'defaultDeny': fc.boolean(), 'allowDns': fc.boolean(),
    });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => new RestrictedNamespace(chart, 'ns', p)));
  });

  test('RbacRole', () => {
    const rule = fc.record({
      apiGroups: fc.subarray(['', 'apps', '*', 'x/y']), resources: fc.subarray(['pods', 'secrets', '*', 'pods/exec', '']),
      verbs: fc.subarray(['get', 'list', 'create', '*', 'escalate', 'GET']), resourceNames: fc.option(fc.subarray(['a', '', '*']), { nil: undefined }),
    }, { requiredKeys: ['apiGroups', 'resources', 'verbs'] });
    const props = mutated({ rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] } as any, {
      'name': str, 'namespace': str, 'rules': fc.array(rule, { maxLength: 3 }),
      'wildcards.reason': fc.constantFrom('', ' ', 'operator needs it'), 'escalation.reason': fc.constantFrom('', 'bootstrap'),
    });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => new RbacRole(chart, 'role', p)));
  });

  test('LiteralSecret and ExternalSecret', () => {
    const literal = mutated({ data: { k: 'v' }, allowPlaintextInManifests: { reason: 'test fixture' } } as any, {
      'name': str, 'namespace': str, 'type': fc.constantFrom('Opaque', 'kubernetes.io/tls', '', 'x'),
      'data': dict(key, str), 'allowPlaintextInManifests.reason': fc.constantFrom('', '  ', 'fixture'),
    });
    expectBothOutcomes(fuzzConstruct(literal, (chart, p) => new LiteralSecret(chart, 's', p)));
    const external = mutated({ data: { K: 'path/k' } } as any, {
      name: str, data: dict(key, fc.oneof(str, fc.record({ key: str, property: str }, { requiredKeys: ['key'] }))),
      templateData: dict(key, fc.constantFrom('{{ .K }}', 'literal', '', 'x{{ .K }}y')),
      refreshInterval: fc.constantFrom(Duration.hours(1), Duration.seconds(0), Duration.millis(1500), Duration.days(400)),
    });
    expectBothOutcomes(fuzzConstruct(external, (chart, p) => new ExternalSecret(chart, 'e', { store: ClusterSecretStore.fromName('vault'), ...p })));
  });

  test('AlertRules and WorkloadAlertRules', () => {
    const rule = mutated({ alert: 'A', expr: 'up == 0', severity: 'warning', summary: 's', description: 'd', runbookUrl: 'https://r.example.com/a' } as any, {
      alert: fc.constantFrom('A', 'a-b', '', 'Good_Name:x', '1A'),
      expr: fc.constantFrom('up == 0', 'up ==', 'sum(rate(x[5m])) > 1', 'x{a=~"5..("}', 'x{a=~"(?i)ok"}', '', 'rate(x[5m]', 'a and on (b) c'),
      severity: fc.constantFrom('warning', 'critical', 'page'), for: fc.constantFrom('5m', '0s', '5', '1h30m', 'x'),
      summary: str, description: str, runbookUrl: fc.constantFrom('https://r.example.com/a', 'http://x', 'not a url', ''),
      labels: dict(key, str),
    });
    expectBothOutcomes(fuzzConstruct(rule, (chart, r) => new AlertRules(chart, 'rules', { name: 'rules' }).addAlert(r)));
    const props = mutated({} as any, {
      'requests.requestsTotal': fc.constantFrom('http_requests_total', 'bad-name', ''),
      'requests.errorStatusRegex': fc.constantFrom('5..', '5..(', '', '(?i)5xx', '\\d+'),
      'requests.statusLabel': fc.constantFrom('code', 'status', '__x', 'bad-label'),
      'podNamePattern': fc.constantFrom('api-.+', 'api-(', '', 'a(?=b)'),
      'rateWindow': fc.constantFrom('5m', '0m', 'x', '1h'),
      'runbookBaseUrl': fc.constantFrom('https://r.example.com', 'x'),
    });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => {
      const workload = new FakeWorkload(new Chart(chart.node.scope as App, 'fixtures'), 'user-service', { namespace: 'shop' });
      new WorkloadAlertRules(chart, 'alerts', { workload, ...p, requests: p.requests && { requestsTotal: 'http_requests_total', ...p.requests } });
    }));
  });

  test('SecureIngress', () => {
    const props = mutated({} as any, {
      'name': str, 'namespace': str,
      'routeHost': fc.constantFrom('api.company.com', '*.company.com', 'API.company.com', '', 'a_b.com', 'x'.repeat(254)),
      'routePath': fc.constantFrom('/api', '', 'api', '/a b', '/{x}', '/v1/users/'),
      'routePort': fc.constantFrom(8080, 'http', 0, 70000, 'Bad_Name'),
      'ingressClassName': str, 'clusterIssuer': str,
      'httpsRedirect': fc.boolean(),
      'responseHeaders': dict(fc.constantFrom('X-Frame-Options', 'bad header', 'X-A'), str),
      'cors.allowOrigins': fc.subarray(['https://a.com', '*', 'not a url', '']),
      'rateLimit.requestsPerSecond': num, 'rateLimit.connections': num,
      'maxBodySize': fc.constantFrom(Size.mebibytes(1), Size.kibibytes(0), Size.gibibytes(10)),
      'timeouts.read': fc.constantFrom(Duration.seconds(30), Duration.seconds(0), Duration.millis(1500), Duration.hours(2)),
    });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => {
      const { routeHost, routePath, routePort, ...rest } = p as any;
      const backend = FakeWorkload.of(new Chart(chart.node.scope as App, 'fixtures'), 'user-service');
      new SecureIngress(chart, 'edge', { ...rest, routes: [{ host: routeHost ?? 'api.company.com', path: routePath, port: routePort, backend }] });
    }));
  });

  test('cluster-scoped constructs: IngressClass, AcmeClusterIssuer, EncryptedStorageClass, RbacClusterRole, ClusterAlertRules', () => {
    expectBothOutcomes(fuzzConstruct(mutated({} as any, { name: str, controller: fc.constantFrom('k8s.io/ingress-nginx', 'nginx', '', 'a/b/c'), isDefault: fc.boolean() }),
      (chart, p) => new IngressClass(chart, 'class', p)));
    expectBothOutcomes(fuzzConstruct(mutated({ email: 'ops@company.com' } as any, {
      name: str, email: fc.constantFrom('ops@company.com', 'not-an-email', '', 'a@b'), server: fc.constantFrom('https://acme-v02.api.letsencrypt.org/directory', 'http://x', 'x'),
      privateKeySecretName: str, ingressClassName: str,
    }), (chart, p) => new AcmeClusterIssuer(chart, 'issuer', p)));
    expectBothOutcomes(fuzzConstruct(fc.tuple(
      fc.constantFrom(
        () => StorageClassPreset.awsGp3(), () => StorageClassPreset.awsGp3({ iops: 100 } as any),
        () => StorageClassPreset.alibabaEssd(), () => StorageClassPreset.awsIo2({ iopsPerGiB: 0 } as any),
      ),
      mutated({} as any, { mountOptions: fc.subarray(['debug', '', 'noatime', 'a b']), allowVolumeExpansion: fc.boolean() }),
    ), (chart, [preset, p]) => new EncryptedStorageClass(chart, 'fast', { preset: preset(), ...p })));
    const rule = fc.record({ apiGroups: fc.subarray(['', 'apps', '*']), resources: fc.subarray(['nodes', 'pods', '*', '']), verbs: fc.subarray(['get', 'list', '*', 'impersonate']) });
    expectBothOutcomes(fuzzConstruct(mutated({ rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['get'] }] } as any, {
      'name': str, 'rules': fc.array(rule, { maxLength: 2 }), 'wildcards.reason': fc.constantFrom('', 'operator'),
    }), (chart, p) => new RbacClusterRole(chart, 'role', p)));
    expectBothOutcomes(fuzzConstruct(mutated({} as any, {
      'name': str, 'nodeNotReady.for': fc.constantFrom('15m', 'ten minutes', '0s'), 'nodeNotReady.enabled': fc.boolean(),
    }), (chart, p) => new ClusterAlertRules(chart, 'cluster', p)));
  });

  test('WorkloadMonitor', () => {
    const props = mutated({} as any, { labels: dict(key, str), podMonitor: fc.boolean(), prometheus: fc.constantFrom(false, undefined) });
    expectBothOutcomes(fuzzConstruct(props, (chart, p) => {
      const workload = new FakeWorkload(new Chart(chart.node.scope as App, 'fixtures'), 'user-service', { namespace: 'shop' });
      new WorkloadMonitor(chart, 'monitor', { workload, ...p });
    }));
  });
});
