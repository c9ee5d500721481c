import { Chart, Size, Testing } from 'cdk8s';
import { ClusterBaselineStack } from '../../../apps/cluster-baseline-stack';
import { production } from '../../../apps/config/production';
import { CLOUDS } from '../../../apps/config/shop-config';
import { addAlibabaStorageBaseline, addDataServices, addStorageBaseline, addStorageBaselineForCloud } from '../../../apps/parts/storage';
import { ShopStack } from '../../../apps/shop-stack';
import { FakeWorkload } from '../../support/fake-workload';
import { expectRestricted } from '../../support/pod-security';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('addStorageBaseline', () => {
  test('creates the four documented classes on the EBS CSI driver, fast-ssd the only default', () => {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    addStorageBaseline(cluster, { kmsKeyArn: KEY, localDisks: [{ name: 'node-1-ssd1', hostname: 'node-1', path: '/mnt/disks/ssd1', capacity: Size.gibibytes(375) }] });
    expect(() => app.synth()).not.toThrow();
    const objects = Testing.synth(cluster);
    const byName = Object.fromEntries(objects.map((o) => [o.metadata.name, o]));
    expect(Object.keys(byName)).toEqual(['fast-ssd', 'standard-hdd', 'high-iops-ssd', 'local-storage', 'node-1-ssd1']);
    expect(byName['fast-ssd']).toMatchObject({
      metadata: { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', iops: '3000', throughput: '125', encrypted: 'true', kmsKeyId: KEY },
      reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true,
    });
    expect(byName['standard-hdd']).toMatchObject({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp2', encrypted: 'true' }, reclaimPolicy: 'Delete', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
    expect(byName['high-iops-ssd']).toMatchObject({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'io2', iops: '10000', encrypted: 'true' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: true });
    expect(byName['local-storage']).toMatchObject({ provisioner: 'kubernetes.io/no-provisioner', volumeBindingMode: 'WaitForFirstConsumer', allowVolumeExpansion: false });
    expect(byName['node-1-ssd1'].spec).toMatchObject({ storageClassName: 'local-storage', local: { path: '/mnt/disks/ssd1' }, capacity: { storage: '375Gi' } });
    const defaults = objects.filter((o) => o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
    expect(defaults.map((o) => o.metadata.name)).toEqual(['fast-ssd']);
  });

  test('the Alibaba Cloud variant uses the disk CSI driver', () => {
    const cluster = Testing.chart();
    const baseline = addAlibabaStorageBaseline(cluster, { kmsKeyId: '0e478b7a-4262-4802-b8cb-00d3fb408f3e' });
    const objects = Testing.synth(cluster);
    expect(objects.map((o) => [o.metadata.name, o.provisioner, o.parameters?.type, o.parameters?.performanceLevel])).toEqual([
      ['fast-ssd', 'diskplugin.csi.alibabacloud.com', 'cloud_essd', 'PL1'],
      ['standard-hdd', 'diskplugin.csi.alibabacloud.com', 'cloud_efficiency', undefined],
      ['high-iops-ssd', 'diskplugin.csi.alibabacloud.com', 'cloud_essd', 'PL2'],
      ['local-storage', 'kubernetes.io/no-provisioner', undefined, undefined],
    ]);
    expect(objects[0].parameters.kmsKeyId).toBe('0e478b7a-4262-4802-b8cb-00d3fb408f3e');
    expect(objects.slice(0, 3).every((o) => o.parameters.encrypted === 'true')).toBe(true);
    expect(baseline.localVolumes).toEqual([]);
  });

  test('throws on a malformed KMS ARN', () => {
    expect(() => addStorageBaseline(Testing.chart(), { kmsKeyArn: 'alias/ebs' })).toThrow(/EncryptedStorageClass 'test\/fast-ssd': 'kmsKeyArn' 'alias\/ebs' is not a KMS key ARN/);
  });
});

describe('addDataServices', () => {
  function build() {
    const app = Testing.app();
    const cluster = new Chart(app, 'cluster');
    const chart = new Chart(app, 'user-service-production', { namespace: 'production' });
    const baseline = addStorageBaseline(cluster, { kmsKeyArn: KEY });
    const userService = new FakeWorkload(chart, 'user-service');
    const services = addDataServices(chart, { storageClass: baseline.fastSsd, clients: [userService] });
    return { app, chart, services, userService, manifests: Testing.synth(chart).filter((m) => m.metadata.name !== 'user-service') };
  }

  test('creates Postgres and Redis for the user-service in production on fast-ssd, passing PSS restricted', () => {
    const { manifests, app } = build();
    expect(() => app.synth()).not.toThrow();
    expectRestricted(manifests);
    const sets = manifests.filter((m) => m.kind === 'StatefulSet');
    expect(sets.map((s) => [
      s.metadata.name, s.metadata.namespace, s.spec.template.spec.containers[0].image, s.spec.volumeClaimTemplates[0].spec.storageClassName,
    ]))
      .toEqual([['postgres', 'production', 'postgres:15.17', 'fast-ssd'], ['redis', 'production', 'redis:7.2.11', 'fast-ssd']]);
    expect(manifests.filter((m) => m.kind === 'Service').map((s) => s.metadata.name)).toEqual(['postgres-headless', 'postgres', 'redis-headless', 'redis']);
    expect(manifests.filter((m) => m.kind === 'PodDisruptionBudget')).toHaveLength(2);
  });

  test('uses the documented flags and the credential Secrets', () => {
    const { manifests } = build();
    const [pg, redis] = manifests.filter((m) => m.kind === 'StatefulSet').map((s) => s.spec.template.spec.containers[0]);
    expect(pg.args).toContain('shared_buffers=512MB');
    expect(pg.args).toContain('shared_preload_libraries=pg_stat_statements');
    expect(pg.env.find((e: any) => e.name === 'POSTGRES_DB').value).toBe('users');
    expect(pg.env.find((e: any) => e.name === 'POSTGRES_PASSWORD').valueFrom.secretKeyRef).toEqual({ name: 'postgres-credentials', key: 'password' });
    expect(redis.args.join(' ')).toContain('--appendonly yes --appendfsync everysec --maxmemory 768mb --maxmemory-policy allkeys-lru');
    expect(redis.env[0].valueFrom.secretKeyRef).toEqual({ name: 'redis-credentials', key: 'password' });
  });

  test('records the user-service as the only client of both', () => {
    const { services, userService } = build();
    expect(services.postgres.clients).toEqual([userService]);
    expect(services.redis.clients).toEqual([userService]);
  });

  test('defaults to the existing fast-ssd class by name', () => {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    addDataServices(chart);
    const sets = Testing.synth(chart).filter((m) => m.kind === 'StatefulSet');
    expect(sets.map((s) => s.spec.volumeClaimTemplates[0].spec.storageClassName)).toEqual(['fast-ssd', 'fast-ssd']);
  });
});

describe('the data services wired into the shop stack', () => {
  test.each(['aws', 'alibaba'] as const)('on %s: fit the fast-ssd class limits, serve user-service and stay restricted', (cloud) => {
    const app = Testing.app();
    const baseline = new ClusterBaselineStack(app, 'cluster', { cloud: CLOUDS[cloud] });
    const shop = new ShopStack(app, 'shop', { config: production, cloud: CLOUDS[cloud], storageClass: baseline.storage.fastSsd });
    expect(() => app.synth()).not.toThrow();
    expect(shop.data.postgres.namespace).toBe('production');
    expect(shop.data.postgres.storageClass?.name).toBe('fast-ssd');
    expect(shop.data.redis.clients.map((c) => c.name)).toEqual(['user-service']);
    expectRestricted(Testing.synth(shop));
  });
});

describe('addStorageBaselineForCloud', () => {
  test.each([
    ['aws', 'ebs.csi.aws.com'],
    ['alibaba', 'diskplugin.csi.alibabacloud.com'],
  ] as const)('picks the %s classes', (cloud, provisioner) => {
    const chart = Testing.chart();
    const baseline = addStorageBaselineForCloud(chart, cloud, { awsKmsKeyArn: KEY });
    expect(baseline.fastSsd.provisioner).toBe(provisioner);
    expect(Testing.synth(chart).map((o) => o.metadata.name)).toEqual(['fast-ssd', 'standard-hdd', 'high-iops-ssd', 'local-storage']);
  });
});

test('addStorageBaselineForCloud needs a KMS key on AWS', () => {
  expect(() => addStorageBaselineForCloud(Testing.chart(), 'aws', {})).toThrow(/'awsKmsKeyArn' is required on AWS/);
});
