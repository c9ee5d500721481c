import { Testing } from 'cdk8s';
import { EncryptedStorageClass, StorageClassPreset } from '../../lib/storage';

const KEY = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

function build(preset: StorageClassPreset, extra: Record<string, unknown> = {}) {
  return new EncryptedStorageClass(Testing.chart(), 'sc', { preset, ...extra });
}

describe('AWS EBS validation', () => {
  test.each([
    ['iops on gp2', StorageClassPreset.aws('gp2', { iops: 3000 }), /EncryptedStorageClass 'test\/sc': 'iops' \(3000\) is not a parameter of gp2 volumes: their performance follows their size; remove 'iops', or use gp3/],
    ['iops on st1', StorageClassPreset.aws('st1', { iops: 500 }), /'iops' \(500\) is not a parameter of st1 volumes/],
    ['iops on sc1', StorageClassPreset.aws('sc1', { iops: 250 }), /'iops' \(250\) is not a parameter of sc1 volumes/],
    ['iopsPerGiB on gp2', StorageClassPreset.aws('gp2', { iopsPerGiB: 3 }), /'iopsPerGiB' \(3\) is not a parameter of gp2 volumes/],
    ['throughput on io2', StorageClassPreset.aws('io2', { iops: 1000, throughputMiBps: 500 }), /'throughputMiBps' \(500\) is not a parameter of io2 volumes: the EBS CSI driver applies 'throughput' to gp3 only/],
    ['throughput on io1', StorageClassPreset.aws('io1', { iops: 1000, throughputMiBps: 500 }), /'throughputMiBps' \(500\) is not a parameter of io1 volumes/],
    ['throughput on gp2', StorageClassPreset.aws('gp2', { throughputMiBps: 250 }), /'throughputMiBps' \(250\) is not a parameter of gp2 volumes/],
    ['throughput on st1', StorageClassPreset.aws('st1', { throughputMiBps: 250 }), /'throughputMiBps' \(250\) is not a parameter of st1 volumes/],
    ['iops and iopsPerGiB together', StorageClassPreset.awsGp3({ iops: 4000, iopsPerGiB: 10 }), /both 'iops' \(4000\) and 'iopsPerGiB' \(10\) are set: the EBS CSI driver rejects a class with both; keep one/],
    ['io2 without IOPS', StorageClassPreset.aws('io2'), /io2 volumes need provisioned IOPS: set 'iops' \(100-256000\) or 'iopsPerGiB' \(at most 1000\)/],
    ['io1 without IOPS', StorageClassPreset.aws('io1'), /io1 volumes need provisioned IOPS: set 'iops' \(100-64000\) or 'iopsPerGiB' \(at most 50\)/],
    ['gp3 IOPS below 3000', StorageClassPreset.awsGp3({ iops: 2999 }), /'iops' for gp3 \(2999\) is outside the documented range: use a whole number from 3000 to 16000 IOPS/],
    ['gp3 IOPS above 16000', StorageClassPreset.awsGp3({ iops: 16001 }), /'iops' for gp3 \(16001\) is outside the documented range: use a whole number from 3000 to 16000 IOPS/],
    ['fractional IOPS', StorageClassPreset.awsGp3({ iops: 3000.5 }), /'iops' for gp3 \(3000.5\) is outside the documented range/],
    ['gp3 throughput below 125', StorageClassPreset.awsGp3({ throughputMiBps: 124 }), /'throughputMiBps' for gp3 \(124\) is outside the documented range: use a whole number from 125 to 1000 MiB\/s/],
    ['gp3 throughput above 1000', StorageClassPreset.awsGp3({ iops: 16000, throughputMiBps: 1001 }), /'throughputMiBps' for gp3 \(1001\) is outside the documented range: use a whole number from 125 to 1000 MiB\/s/],
    ['gp3 throughput above 0.25 MiB/s per IOPS', StorageClassPreset.awsGp3({ throughputMiBps: 1000 }), /'throughputMiBps' \(1000\) is more than gp3 allows for 3000 IOPS: AWS caps throughput at 0.25 MiB\/s per provisioned IOPS \(750 MiB\/s here\); raise 'iops' to at least 4000/],
    ['gp3 iopsPerGiB above 500', StorageClassPreset.awsGp3({ iopsPerGiB: 501 }), /'iopsPerGiB' for gp3 \(501\) is outside the documented range: use a whole number from 1 to 500 IOPS per GiB/],
    ['io1 IOPS below 100', StorageClassPreset.awsIo1({ iops: 99 }), /'iops' for io1 \(99\) is outside the documented range: use a whole number from 100 to 64000 IOPS/],
    ['io1 IOPS above 64000', StorageClassPreset.awsIo1({ iops: 64001 }), /'iops' for io1 \(64001\) is outside the documented range: use a whole number from 100 to 64000 IOPS/],
    ['io1 iopsPerGiB above 50', StorageClassPreset.awsIo1({ iopsPerGiB: 51 }), /'iopsPerGiB' for io1 \(51\) is outside the documented range: use a whole number from 1 to 50 IOPS per GiB/],
    ['io2 IOPS above 256000', StorageClassPreset.awsIo2({ iops: 256001 }), /'iops' for io2 \(256001\) is outside the documented range: use a whole number from 100 to 256000 IOPS/],
    ['io2 iopsPerGiB above 1000', StorageClassPreset.awsIo2({ iopsPerGiB: 1001 }), /'iopsPerGiB' for io2 \(1001\) is outside the documented range: use a whole number from 1 to 1000 IOPS per GiB/],
    ['a KMS key without encryption', StorageClassPreset.awsGp3({ encrypted: false, unencryptedReason: 'scratch', kmsKeyArn: KEY }), /'kmsKeyArn' \('arn:aws:kms:.*'\) is set but 'encrypted' is false: a KMS key only takes effect on encrypted volumes/],
    ['encryption off without a reason', StorageClassPreset.awsGp2({ encrypted: false }), /'encrypted' is false without an 'unencryptedReason': volumes are encrypted at rest by default/],
    ['a key id instead of an ARN', StorageClassPreset.awsGp3({ kmsKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' }), /'kmsKeyArn' '1234abcd-12ab-34cd-56ef-1234567890ab' is not a KMS key ARN: the EBS CSI driver needs the full ARN/],
    ['an ARN of another service', StorageClassPreset.awsGp3({ kmsKeyArn: 'arn:aws:s3:::my-bucket' }), /'kmsKeyArn' 'arn:aws:s3:::my-bucket' is not a KMS key ARN/],
    ['an ARN with a short account', StorageClassPreset.awsGp3({ kmsKeyArn: 'arn:aws:kms:us-east-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), /is not a KMS key ARN/],
    ['an unknown type', StorageClassPreset.aws('standard'), /EBS volume type 'standard' is not known: use one of 'gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1'/],
    ['an unknown fsType', StorageClassPreset.awsGp3({ fsType: 'btrfs' as any }), /'fsType' 'btrfs' is not supported: use one of 'ext4', 'xfs', 'ext3'/],
  ])('throws on %s', (_what, preset, message) => {
    expect(() => build(preset)).toThrow(message);
  });

  test.each([
    'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws:kms:eu-central-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab',
    'arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/ebs-data',
  ])('accepts the KMS ARN %s', (arn) => {
    expect(() => build(StorageClassPreset.awsGp3({ kmsKeyArn: arn }))).not.toThrow();
  });

  test('encryption may be turned off with a reason', () => {
    const sc = build(StorageClassPreset.awsSt1({ encrypted: false, unencryptedReason: 'public data set, re-downloadable' }));
    expect(sc.parameters.encrypted).toBe('false');
    expect(sc.encrypted).toBe(false);
  });
});

describe('AWS EBS volume size checks', () => {
  test.each([
    [StorageClassPreset.awsGp3({ iops: 3000 }), 5, ['3000 IOPS needs a gp3 volume of at least 6 GiB (at most 500 IOPS per GiB), but 5 GiB is requested']],
    [StorageClassPreset.awsGp3({ iops: 3000 }), 6, []],
    [StorageClassPreset.awsIo2({ iops: 10000 }), 9, ['10000 IOPS needs a io2 volume of at least 10 GiB (at most 1000 IOPS per GiB), but 9 GiB is requested']],
    [StorageClassPreset.awsIo1({ iops: 1000 }), 10, ['1000 IOPS needs a io1 volume of at least 20 GiB (at most 50 IOPS per GiB), but 10 GiB is requested']],
    [StorageClassPreset.awsIo1({ iops: 100 }), 3, ['io1 volumes must be 4-16384 GiB, but 3 GiB is requested']],
    [StorageClassPreset.awsSt1(), 100, ['st1 volumes must be 125-16384 GiB, but 100 GiB is requested']],
    [StorageClassPreset.awsGp2(), 16385, ['gp2 volumes must be 1-16384 GiB, but 16385 GiB is requested']],
    [StorageClassPreset.awsGp3({ iopsPerGiB: 100 }), 20, ['100 IOPS per GiB on 20 GiB gives 2000 IOPS, below the gp3 minimum of 3000: the EBS CSI driver refuses to create it']],
    [StorageClassPreset.awsGp3({ iopsPerGiB: 100, throughputMiBps: 1000 }), 30, ['1000 MiB/s needs at least 4000 IOPS, but 100 IOPS per GiB on 30 GiB gives 3000']],
  ])('%#: checks the size against the documented limits', (preset, size, problems) => {
    expect(build(preset).checkVolumeSize(size)).toEqual(problems);
  });
});

describe('Alibaba Cloud disk validation', () => {
  test.each([
    ['performanceLevel on cloud_ssd', StorageClassPreset.alibaba('cloud_ssd', { performanceLevel: 'PL1' }), /EncryptedStorageClass 'test\/sc': 'performanceLevel' \('PL1'\) is not a parameter of cloud_ssd disks: performance levels apply to ESSDs only/],
    ['performanceLevel on cloud_efficiency', StorageClassPreset.alibaba('cloud_efficiency', { performanceLevel: 'PL0' }), /'performanceLevel' \('PL0'\) is not a parameter of cloud_efficiency disks/],
    ['an unknown performance level', StorageClassPreset.alibabaEssd({ performanceLevel: 'PL4' as any }), /'performanceLevel' 'PL4' is not an ESSD performance level: use one of 'PL0', 'PL1', 'PL2', 'PL3'/],
    ['an unknown category', StorageClassPreset.alibaba('cloud'), /Alibaba Cloud disk category 'cloud' is not known: use one of 'cloud_essd', 'cloud_ssd', 'cloud_efficiency'/],
    ['a key without encryption', StorageClassPreset.alibabaEssd({ encrypted: false, unencryptedReason: 'cache', kmsKeyId: '0e478b7a-4262-4802-b8cb-00d3fb408f3e' }), /'kmsKeyId' \('0e478b7a-4262-4802-b8cb-00d3fb408f3e'\) is set but 'encrypted' is false/],
    ['encryption off without a reason', StorageClassPreset.alibabaEssd({ encrypted: false }), /'encrypted' is false without an 'unencryptedReason'/],
    ['a key alias', StorageClassPreset.alibabaEssd({ kmsKeyId: 'alias/disk' }), /'kmsKeyId' 'alias\/disk' is not an Alibaba Cloud KMS key id: use the key's id/],
    ['an AWS ARN', StorageClassPreset.alibabaEssd({ kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }), /is not an Alibaba Cloud KMS key id/],
  ])('throws on %s', (_what, preset, message) => {
    expect(() => build(preset)).toThrow(message);
  });

  test.each([
    [StorageClassPreset.alibabaEssd({ performanceLevel: 'PL2' }), 460, ['cloud_essd PL2 disks must be 461-65536 GiB, but 460 GiB is requested']],
    [StorageClassPreset.alibabaEssd({ performanceLevel: 'PL3' }), 1260, ['cloud_essd PL3 disks must be 1261-65536 GiB, but 1260 GiB is requested']],
    [StorageClassPreset.alibabaEssd(), 19, ['cloud_essd PL1 disks must be 20-65536 GiB, but 19 GiB is requested']],
    [StorageClassPreset.alibabaEssd({ performanceLevel: 'PL0' }), 1, []],
    [StorageClassPreset.alibabaSsd(), 10, ['cloud_ssd disks must be 20-65536 GiB, but 10 GiB is requested']],
    [StorageClassPreset.alibabaEfficiency(), 20, []],
  ])('%#: checks the size against the documented limits', (preset, size, problems) => {
    expect(build(preset).checkVolumeSize(size)).toEqual(problems);
  });
});

describe('other CSI drivers and in-tree provisioners', () => {
  test.each([
    ['kubernetes.io/aws-ebs', /provisioner 'kubernetes.io\/aws-ebs' is an in-tree volume plugin whose code is gone from current Kubernetes \(kubernetes.io\/aws-ebs since 1.27\): a class naming it never provisions and claims stay Pending; use the CSI driver 'ebs.csi.aws.com' instead \(StorageClassPreset.awsGp3\(...\) and friends\)/],
    ['kubernetes.io/gce-pd', /use the CSI driver 'pd.csi.storage.gke.io' instead\./],
    ['kubernetes.io/azure-disk', /use the CSI driver 'disk.csi.azure.com' instead\./],
    ['kubernetes.io/cinder', /use the CSI driver 'cinder.csi.openstack.org' instead\./],
    ['alicloud/disk', /use the CSI driver 'diskplugin.csi.alibabacloud.com' instead \(StorageClassPreset.alibabaEssd/],
  ])('throws on the in-tree provisioner %s, pointing to the CSI driver', (provisioner, message) => {
    expect(() => build(StorageClassPreset.csi({ provisioner, encryptedAtRest: true }))).toThrow(message);
  });

  test('throws on kubernetes.io/no-provisioner, pointing to LocalStorageClass', () => {
    expect(() => build(StorageClassPreset.csi({ provisioner: 'kubernetes.io/no-provisioner', encryptedAtRest: true })))
      .toThrow(/provisioner 'kubernetes.io\/no-provisioner' provisions nothing: for local disks use LocalStorageClass/);
  });

  test('throws on a malformed driver name', () => {
    expect(() => build(StorageClassPreset.csi({ provisioner: '-bad_driver', encryptedAtRest: true })))
      .toThrow(/provisioner '-bad_driver' is not a valid CSI driver name/);
  });

  test('throws when encryption is off without a reason', () => {
    expect(() => build(StorageClassPreset.csi({ provisioner: 'pd.csi.storage.gke.io', encryptedAtRest: false })))
      .toThrow(/'encryptedAtRest' is false without an 'unencryptedReason'/);
  });
});

describe('class-level options', () => {
  test('throws on an unknown binding mode', () => {
    expect(() => build(StorageClassPreset.awsGp3(), { volumeBindingMode: 'Later' }))
      .toThrow(/'volumeBindingMode' 'Later' is not a binding mode: use 'WaitForFirstConsumer' \(recommended\) or 'Immediate'/);
  });

  test('throws on Recycle', () => {
    expect(() => build(StorageClassPreset.awsGp3(), { reclaimPolicy: 'Recycle' }))
      .toThrow(/'reclaimPolicy' 'Recycle' is not allowed: use 'Delete' or 'Retain'/);
  });
});
