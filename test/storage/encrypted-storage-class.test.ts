import { Chart, Testing } from 'cdk8s';
import { EncryptedStorageClass, LocalStorageClass, StorageClassBase, StorageClassPreset } from '../../lib/storage';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function synthOne(build: (chart: Chart) => void): any {
  const chart = Testing.chart();
  build(chart);
  const objects = Testing.synth(chart);
  expect(objects).toHaveLength(1);
  return objects[0];
}

describe('EncryptedStorageClass presets', () => {
  test('awsGp3 defaults: ebs.csi.aws.com, gp3 baseline 3000 IOPS / 125 MiB/s, encrypted, WaitForFirstConsumer, expandable', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'fast', { preset: StorageClassPreset.awsGp3() }));
    expect(sc).toEqual({
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-guardrails' } },
      provisioner: 'ebs.csi.aws.com',
      parameters: { 'csi.storage.k8s.io/fstype': 'ext4', 'encrypted': 'true', 'iops': '3000', 'throughput': '125', 'type': 'gp3' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    });
  });

  test('awsGp3 with a KMS key, IOPS, throughput and default marker', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'fast-ssd', {
      preset: StorageClassPreset.awsGp3({ iops: 6000, throughputMiBps: 500, kmsKeyArn: KEY, fsType: 'xfs' }),
      isDefault: true,
    }));
    expect(sc.metadata.annotations).toEqual({ 'storageclass.kubernetes.io/is-default-class': 'true' });
    expect(sc.parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'xfs', 'encrypted': 'true', 'iops': '6000', 'kmsKeyId': KEY, 'throughput': '500', 'type': 'gp3' });
  });

  test('awsGp3 with iopsPerGiB emits iopsPerGB and no fixed iops', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'scaled', { preset: StorageClassPreset.awsGp3({ iopsPerGiB: 100 }) }));
    expect(sc.parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'ext4', 'encrypted': 'true', 'iopsPerGB': '100', 'throughput': '125', 'type': 'gp3' });
  });

  test('awsGp2 takes only type and encryption', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'standard-hdd', { preset: StorageClassPreset.awsGp2() }));
    expect(sc.parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'ext4', 'encrypted': 'true', 'type': 'gp2' });
  });

  test.each([
    ['io1', StorageClassPreset.awsIo1({ iops: 5000 }), { iops: '5000', type: 'io1' }],
    ['io2', StorageClassPreset.awsIo2({ iops: 10000 }), { iops: '10000', type: 'io2' }],
    ['io2 per GiB', StorageClassPreset.awsIo2({ iopsPerGiB: 500 }), { iopsPerGB: '500', type: 'io2' }],
    ['st1', StorageClassPreset.awsSt1(), { type: 'st1' }],
    ['sc1', StorageClassPreset.awsSc1(), { type: 'sc1' }],
    ['by name', StorageClassPreset.aws('gp3', { iops: 4000 }), { iops: '4000', throughput: '125', type: 'gp3' }],
  ])('aws preset %s emits its parameters', (_name, preset, expected) => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'c', { preset }));
    expect(sc.provisioner).toBe('ebs.csi.aws.com');
    expect(sc.parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'ext4', 'encrypted': 'true', ...expected });
  });

  test('alibabaEssd defaults to PL1, encrypted, on the Alibaba Cloud disk CSI driver', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'essd', { preset: StorageClassPreset.alibabaEssd() }));
    expect(sc.provisioner).toBe('diskplugin.csi.alibabacloud.com');
    expect(sc.parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'ext4', 'encrypted': 'true', 'performanceLevel': 'PL1', 'type': 'cloud_essd' });
    expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
    expect(sc.allowVolumeExpansion).toBe(true);
  });

  test.each([
    ['PL0', StorageClassPreset.alibabaEssd({ performanceLevel: 'PL0' }), { performanceLevel: 'PL0', type: 'cloud_essd' }],
    ['PL3 with a key', StorageClassPreset.alibabaEssd({ performanceLevel: 'PL3', kmsKeyId: '0e478b7a-4262-4802-b8cb-00d3fb408f3e' }),
      { performanceLevel: 'PL3', type: 'cloud_essd', kmsKeyId: '0e478b7a-4262-4802-b8cb-00d3fb408f3e' }],
    ['ssd', StorageClassPreset.alibabaSsd({ kmsKeyId: 'key-hzz62f1cb66fa42qo3a8x' }), { type: 'cloud_ssd', kmsKeyId: 'key-hzz62f1cb66fa42qo3a8x' }],
    ['efficiency', StorageClassPreset.alibabaEfficiency(), { type: 'cloud_efficiency' }],
    ['by name', StorageClassPreset.alibaba('cloud_essd', { performanceLevel: 'PL2' }), { performanceLevel: 'PL2', type: 'cloud_essd' }],
  ])('alibaba preset %s emits its parameters', (_name, preset, expected) => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'c', { preset }));
    expect(sc.parameters).toEqual({ 'csi.storage.k8s.io/fstype': 'ext4', 'encrypted': 'true', ...expected });
  });

  test('a custom CSI driver passes its parameters through', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'gke', {
      preset: StorageClassPreset.csi({ provisioner: 'pd.csi.storage.gke.io', parameters: { 'type': 'pd-ssd', 'disk-encryption-kms-key': 'projects/p/locations/l/keyRings/r/cryptoKeys/k' }, encryptedAtRest: true }),
    }));
    expect(sc.provisioner).toBe('pd.csi.storage.gke.io');
    expect(sc.parameters).toEqual({ 'disk-encryption-kms-key': 'projects/p/locations/l/keyRings/r/cryptoKeys/k', 'type': 'pd-ssd' });
  });

  test('Retain, Immediate, no expansion and mount options when asked', () => {
    const sc = synthOne((chart) => new EncryptedStorageClass(chart, 'keep', {
      preset: StorageClassPreset.awsIo2({ iops: 10000 }),
      reclaimPolicy: 'Retain', volumeBindingMode: 'Immediate', allowVolumeExpansion: false, mountOptions: ['noatime'],
      name: 'high-iops-ssd', labels: { tier: 'db' },
    }));
    expect(sc.metadata).toEqual({ name: 'high-iops-ssd', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-guardrails', 'tier': 'db' } });
    expect(sc.reclaimPolicy).toBe('Retain');
    expect(sc.volumeBindingMode).toBe('Immediate');
    expect(sc.allowVolumeExpansion).toBe(false);
    expect(sc.mountOptions).toEqual(['noatime']);
  });

  test('exposes its resolved fields', () => {
    const chart = Testing.chart();
    const sc = new EncryptedStorageClass(chart, 'fast', { preset: StorageClassPreset.awsGp3({ kmsKeyArn: KEY }), isDefault: true });
    expect(sc.name).toBe('fast');
    expect(sc.isDefault).toBe(true);
    expect(sc.encrypted).toBe(true);
    expect(sc.provisioner).toBe('ebs.csi.aws.com');
    expect(sc.reclaimPolicy).toBe('Delete');
    expect(sc.parameters.kmsKeyId).toBe(KEY);
    expect(sc.preset.volumeType).toBe('gp3');
  });

  test('output is byte-identical across synths', () => {
    const build = () => {
      const chart = Testing.chart();
      new EncryptedStorageClass(chart, 'fast', { preset: StorageClassPreset.awsGp3({ kmsKeyArn: KEY, iops: 4000 }) });
      return JSON.stringify(Testing.synth(chart));
    };
    expect(build()).toBe(build());
  });
});

describe('exactly one default class per app', () => {
  test('throws at synth when two classes in different charts are marked default', () => {
    const app = Testing.app();
    const a = new Chart(app, 'aws');
    const b = new Chart(app, 'local');
    new EncryptedStorageClass(a, 'fast-ssd', { preset: StorageClassPreset.awsGp3(), isDefault: true });
    new LocalStorageClass(b, 'local-storage', { isDefault: true });
    expect(() => app.synth()).toThrow(/StorageClass 'fast-ssd' is marked default, and so is 'local-storage' \(local\/local-storage\): an app may have exactly one default class/);
  });

  test('one default and any number of others synthesize', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'c');
    new EncryptedStorageClass(chart, 'fast-ssd', { preset: StorageClassPreset.awsGp3(), isDefault: true });
    new EncryptedStorageClass(chart, 'standard-hdd', { preset: StorageClassPreset.awsGp2() });
    new LocalStorageClass(chart, 'local-storage');
    expect(() => app.synth()).not.toThrow();
  });

  test('fromName refers to an existing class without synthesizing one', () => {
    const chart = Testing.chart();
    const existing = StorageClassBase.fromName(chart, 'gp3', 'gp3');
    expect(existing.name).toBe('gp3');
    expect(existing.checkVolumeSize(1)).toEqual([]);
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('throws when the class sits in a namespaced chart', () => {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    expect(() => new EncryptedStorageClass(chart, 'fast', { preset: StorageClassPreset.awsGp3() }))
      .toThrow(/EncryptedStorageClass 'apps\/fast': StorageClass is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart\./);
  });

  test('throws when the name is not a DNS subdomain', () => {
    expect(() => new EncryptedStorageClass(Testing.chart(), 'fast', { name: 'Fast_SSD', preset: StorageClassPreset.awsGp3() }))
      .toThrow(/StorageClass name 'Fast_SSD' is not a valid DNS-1123 subdomain/);
  });
});
