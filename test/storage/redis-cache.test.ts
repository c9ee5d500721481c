import { Chart, Size, Testing } from 'cdk8s';
import { EncryptedStorageClass, RedisCache, RedisCacheProps, StorageClassPreset } from '../../lib/storage';
import { FakeWorkload } from '../support/fake-workload';
import { expectRestricted } from '../support/pod-security';

const CREDENTIALS = { secretName: 'redis-credentials' };

function build(props: Partial<RedisCacheProps> = {}) {
  const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
  const redis = new RedisCache(chart, 'redis', { credentials: CREDENTIALS, ...props });
  const manifests = Testing.synth(chart);
  const of = (kind: string, name?: string) => {
    const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
    expect(found).toHaveLength(1);
    return found[0];
  };
  return { redis, manifests, of, sts: of('StatefulSet'), container: of('StatefulSet').spec.template.spec.containers[0] };
}

describe('RedisCache', () => {
  test('passes Pod Security Standards restricted', () => {
    expectRestricted(build().manifests);
  });

  test('runs the pinned official image as uid 999, read-only root, data on the claim, /tmp as emptyDir', () => {
    const { sts, container } = build();
    const pod = sts.spec.template.spec;
    expect(container.image).toBe('redis:7.2.11');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 999, runAsGroup: 999, fsGroup: 999, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath: '/data' }, { name: 'tmp', mountPath: '/tmp' }]);
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  test('passes the documented flags: AOF everysec, an LRU cap at 3/4 of the memory limit, password from the Secret', () => {
    const { container, redis } = build();
    expect(container.args).toEqual([
      '--port', '6379', '--dir', '/data', '--appendonly', 'yes', '--appendfsync', 'everysec',
      '--maxmemory', '768mb', '--maxmemory-policy', 'allkeys-lru', '--requirepass', '$(REDIS_PASSWORD)',
    ]);
    expect(container.env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'password' } } },
      { name: 'REDISCLI_AUTH', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'password' } } },
    ]);
    expect(redis.serverFlags['maxmemory-policy']).toBe('allkeys-lru');
  });

  test('takes tuned settings', () => {
    const { container } = build({ settings: { appendfsync: 'always', maxmemory: Size.mebibytes(512), maxmemoryPolicy: 'volatile-lfu' }, credentials: { secretName: 'r', passwordKey: 'pw' } });
    expect(container.args).toEqual([
      '--port', '6379', '--dir', '/data', '--appendonly', 'yes', '--appendfsync', 'always',
      '--maxmemory', '512mb', '--maxmemory-policy', 'volatile-lfu', '--requirepass', '$(REDIS_PASSWORD)',
    ]);
    expect(container.env[0].valueFrom.secretKeyRef).toEqual({ name: 'r', key: 'pw' });
  });

  test('turns AOF off without an appendfsync flag', () => {
    expect(build({ settings: { appendonly: false } }).container.args).toEqual([
      '--port', '6379', '--dir', '/data', '--appendonly', 'no', '--maxmemory', '768mb', '--maxmemory-policy', 'allkeys-lru', '--requirepass', '$(REDIS_PASSWORD)',
    ]);
  });

  test('probes with redis-cli ping, authenticated through REDISCLI_AUTH', () => {
    const { container } = build({ port: 6380 });
    const exec = { command: ['sh', '-c', 'test "$(redis-cli -h 127.0.0.1 -p 6380 ping)" = PONG'] };
    expect(container.readinessProbe).toEqual({ exec, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3 });
    // liveness differs from readiness: a busy server is taken out of the Service, not restarted
    expect(container.livenessProbe).toEqual({ tcpSocket: { port: 'redis' }, periodSeconds: 20, timeoutSeconds: 5, failureThreshold: 6 });
    expect(container.startupProbe.exec).toEqual(exec);
  });

  test('sets requests and limits', () => {
    expect(build().container.resources).toEqual({
      requests: { 'cpu': '250m', 'ephemeral-storage': '64Mi', 'memory': '1Gi' },
      limits: { 'cpu': '1', 'ephemeral-storage': '256Mi', 'memory': '1Gi' }, // tmp 64Mi + 192Mi
    });
  });

  test('is a one-replica StatefulSet on the chosen class with headless and client Services and a PodDisruptionBudget', () => {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    const chart = new Chart(app, 'data', { namespace: 'production' });
    const fast = new EncryptedStorageClass(cluster, 'fast-ssd', { preset: StorageClassPreset.awsGp3() });
    new RedisCache(chart, 'redis', { credentials: CREDENTIALS, storageClass: fast });
    const manifests = Testing.synth(chart);
    const sts = manifests.find((m) => m.kind === 'StatefulSet');
    expect(sts.spec.replicas).toBe(1);
    expect(sts.spec.serviceName).toBe('redis-headless');
    expect(sts.spec.volumeClaimTemplates[0].spec).toEqual({ accessModes: ['ReadWriteOnce'], storageClassName: 'fast-ssd', resources: { requests: { storage: '8Gi' } } });
    expect(manifests.filter((m) => m.kind === 'Service').map((s) => [s.metadata.name, s.spec.clusterIP ?? s.spec.type])).toEqual([['redis-headless', 'None'], ['redis', 'ClusterIP']]);
    expect(manifests.find((m) => m.kind === 'PodDisruptionBudget').spec.selector).toEqual({ matchLabels: { app: 'redis' } });
    expect(sts.metadata.labels).toMatchObject({ app: 'redis', version: '7.2.11', component: 'cache' });
  });

  test('implements IWorkload and records its clients', () => {
    const chart = new Chart(Testing.app(), 'data', { namespace: 'production' });
    const api = new FakeWorkload(chart, 'user-service');
    const redis = new RedisCache(chart, 'redis', { credentials: CREDENTIALS, clients: [api] });
    expect(redis.ports).toEqual([{ name: 'redis', number: 6379, protocol: 'TCP' }]);
    expect(redis.findPort('redis')?.number).toBe(6379);
    expect(redis.clients).toEqual([api]);
    expect(redis.serviceName).toBe('redis');
  });
});

describe('RedisCache errors', () => {
  test.each([
    ['appendfsync without appendonly', { settings: { appendonly: false, appendfsync: 'always' } }, /RedisCache 'data\/redis': 'settings.appendfsync' \('always'\) only applies with 'appendonly': remove it, or set 'appendonly: true'/],
    ['an unknown appendfsync', { settings: { appendfsync: 'sometimes' } }, /'settings.appendfsync' 'sometimes' is not allowed: use one of 'always', 'everysec', 'no'/],
    ['an unknown eviction policy', { settings: { maxmemoryPolicy: 'lru' } }, /'settings.maxmemoryPolicy' 'lru' is not a Redis eviction policy: use one of 'noeviction', 'allkeys-lru'/],
    ['maxmemory at the memory limit', { settings: { maxmemory: Size.gibibytes(1) } }, /'settings.maxmemory' \(1Gi\) must be below the memory limit \(1Gi\): Redis needs headroom for copy-on-write during AOF rewrites/],
    ['maxmemory below 1MiB', { settings: { maxmemory: Size.kibibytes(512) } }, /'settings.maxmemory' \(512Ki\) is below 1MiB/],
    ['a literal password', { password: 'hunter2' }, /'password' is not a prop: credentials come only from a Secret/],
    ['no secret name', { credentials: { secretName: '' } }, /'credentials.secretName' is missing: name the Secret holding the Redis 'password'/],
    ['the latest tag', { image: 'redis:latest' }, /'image' 'redis:latest' is not pinned: the 'latest' tag moves under running pods; use a version tag or a digest \(e.g. 'redis:7.2.11'\)\./],
    ['a bad port', { port: 0 }, /'port' 0 is not a valid port number/],
  ])('throws on %s', (_what, props, message) => {
    expect(() => build(props as Partial<RedisCacheProps>)).toThrow(message);
  });

  test('throws when the volume is below the class documented minimum', () => {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    const chart = new Chart(app, 'data', { namespace: 'production' });
    const essd = new EncryptedStorageClass(cluster, 'essd-pl2', { preset: StorageClassPreset.alibabaEssd({ performanceLevel: 'PL2' }) });
    expect(() => new RedisCache(chart, 'redis', { credentials: CREDENTIALS, storageClass: essd }))
      .toThrow(/'storageSize' \(8Gi\) does not fit the class 'essd-pl2': cloud_essd PL2 disks must be 461-65536 GiB, but 8 GiB is requested/);
  });
});
