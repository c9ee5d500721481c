import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { EncryptedStorageClass, StorageClassPreset } from '../../lib/storage';

// The oracle is written out again here from the documents (Amazon EBS volume types page,
// aws-ebs-csi-driver parameters.md, Alibaba Cloud disk CSI category table), not imported from lib/.
const DOC = {
  gp3: { iops: [3000, 16000], perGiB: 500, throughput: [125, 1000], throughputPerIops: 0.25 },
  io1: { iops: [100, 64000], perGiB: 50 },
  io2: { iops: [100, 256000], perGiB: 1000 },
} as const;
const RUNS = { numRuns: 60 };

function synthParams(preset: StorageClassPreset): Record<string, string> {
  const chart = Testing.chart();
  new EncryptedStorageClass(chart, 'sc', { preset });
  const [sc] = Testing.synth(chart);
  expect(sc.provisioner).toMatch(/^(ebs\.csi\.aws\.com|diskplugin\.csi\.alibabacloud\.com)$/);
  expect(sc.volumeBindingMode).toBe('WaitForFirstConsumer');
  expect(sc.allowVolumeExpansion).toBe(true);
  return sc.parameters;
}

function throws(preset: StorageClassPreset): boolean {
  try {
    new EncryptedStorageClass(Testing.chart(), 'sc', { preset });
    return false;
  } catch (e) {
    return /EncryptedStorageClass 'test\/sc': /.test((e as Error).message);
  }
}

const kmsArn = fc.option(fc.tuple(fc.constantFrom('us-east-1', 'eu-west-3', 'ap-southeast-2'), fc.uuid()).map(
  ([region, id]) => `arn:aws:kms:${region}:111122223333:key/${id}`), { nil: undefined });

describe('valid random parameter sets stay within the documented limits', () => {
  test('gp3', () => {
    const gen = fc.integer({ min: 3000, max: 16000 }).chain((iops) => fc.record({
      iops: fc.constant(iops),
      throughputMiBps: fc.integer({ min: 125, max: Math.min(1000, Math.floor(iops * 0.25)) }),
      kmsKeyArn: kmsArn,
    }));
    fc.assert(fc.property(gen, (options) => {
      const p = synthParams(StorageClassPreset.awsGp3(options));
      const iops = Number(p.iops);
      const throughput = Number(p.throughput);
      expect(p.type).toBe('gp3');
      expect(p.encrypted).toBe('true');
      expect(iops).toBeGreaterThanOrEqual(DOC.gp3.iops[0]);
      expect(iops).toBeLessThanOrEqual(DOC.gp3.iops[1]);
      expect(throughput).toBeGreaterThanOrEqual(DOC.gp3.throughput[0]);
      expect(throughput).toBeLessThanOrEqual(DOC.gp3.throughput[1]);
      expect(throughput).toBeLessThanOrEqual(iops * DOC.gp3.throughputPerIops);
      expect(p.kmsKeyId).toBe(options.kmsKeyArn);
    }), RUNS);
  });

  test.each(['io1', 'io2'] as const)('%s', (type) => {
    const doc = DOC[type];
    const gen = fc.oneof(
      fc.record({ iops: fc.integer({ min: doc.iops[0], max: doc.iops[1] }), kmsKeyArn: kmsArn }),
      fc.record({ iopsPerGiB: fc.integer({ min: 1, max: doc.perGiB }), kmsKeyArn: kmsArn }),
    );
    fc.assert(fc.property(gen, (options) => {
      const p = synthParams(type === 'io1' ? StorageClassPreset.awsIo1(options) : StorageClassPreset.awsIo2(options));
      expect(p.type).toBe(type);
      expect(p.throughput).toBeUndefined();
      expect(p.iops !== undefined && p.iopsPerGB !== undefined).toBe(false);
      if (p.iops !== undefined) {
        expect(Number(p.iops)).toBeGreaterThanOrEqual(doc.iops[0]);
        expect(Number(p.iops)).toBeLessThanOrEqual(doc.iops[1]);
      } else {
        expect(Number(p.iopsPerGB)).toBeLessThanOrEqual(doc.perGiB);
      }
    }), RUNS);
  });

  test.each(['gp2', 'st1', 'sc1'] as const)('%s carries no IOPS or throughput', (type) => {
    fc.assert(fc.property(kmsArn, fc.constantFrom('ext4', 'xfs') as fc.Arbitrary<'ext4' | 'xfs'>, (kmsKeyArn, fsType) => {
      const p = synthParams(StorageClassPreset.aws(type, { kmsKeyArn, fsType }));
      expect(Object.keys(p).sort()).toEqual(['csi.storage.k8s.io/fstype', 'encrypted', 'type', ...(kmsKeyArn ? ['kmsKeyId'] : [])].sort());
    }), { numRuns: 20 });
  });

  test('Alibaba Cloud ESSD sizes accepted only within the performance level range', () => {
    const minimum = { PL0: 1, PL1: 20, PL2: 461, PL3: 1261 } as const;
    fc.assert(fc.property(fc.constantFrom('PL0', 'PL1', 'PL2', 'PL3') as fc.Arbitrary<keyof typeof minimum>, fc.integer({ min: 1, max: 70000 }), (level, size) => {
      const chart = Testing.chart();
      const sc = new EncryptedStorageClass(chart, 'sc', { preset: StorageClassPreset.alibabaEssd({ performanceLevel: level }) });
      expect(sc.parameters.performanceLevel).toBe(level);
      const fits = size >= minimum[level] && size <= 65536;
      expect(sc.checkVolumeSize(size)).toHaveLength(fits ? 0 : 1);
    }), RUNS);
  });

  test('EBS sizes accepted only when the provisioned IOPS fit the per-GiB ratio', () => {
    fc.assert(fc.property(fc.integer({ min: 3000, max: 16000 }), fc.integer({ min: 1, max: 16384 }), (iops, size) => {
      const sc = new EncryptedStorageClass(Testing.chart(), 'sc', { preset: StorageClassPreset.awsGp3({ iops }) });
      expect(sc.checkVolumeSize(size).length === 0).toBe(iops <= size * DOC.gp3.perGiB);
    }), RUNS);
  });
});

describe('invalid random parameter sets throw', () => {
  const outside = (min: number, max: number) => fc.oneof(fc.integer({ min: -100000, max: min - 1 }), fc.integer({ min: max + 1, max: 10_000_000 }));

  test('gp3 IOPS or throughput outside the documented range', () => {
    fc.assert(fc.property(fc.oneof(
      outside(3000, 16000).map((iops) => ({ iops })),
      outside(125, 1000).map((throughputMiBps) => ({ iops: 16000, throughputMiBps })),
      fc.integer({ min: 3000, max: 3999 }).chain((iops) =>
        fc.integer({ min: Math.floor(iops * 0.25) + 1, max: 1000 }).map((throughputMiBps) => ({ iops, throughputMiBps }))),
    ), (options) => throws(StorageClassPreset.awsGp3(options))), RUNS);
  });

  test.each(['io1', 'io2'] as const)('%s IOPS outside the documented range', (type) => {
    fc.assert(fc.property(outside(DOC[type].iops[0], DOC[type].iops[1]), (iops) => throws(StorageClassPreset.aws(type, { iops }))), RUNS);
  });

  test('IOPS or throughput on types that do not take them', () => {
    fc.assert(fc.property(fc.constantFrom('gp2', 'st1', 'sc1', 'io1', 'io2'), fc.integer({ min: 100, max: 1000 }), (type, n) => {
      const options = type.startsWith('io') ? { iops: 1000, throughputMiBps: n } : { iops: n };
      return throws(StorageClassPreset.aws(type, options));
    }), RUNS);
  });

  test('malformed KMS ARNs', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }).filter((s) => !s.startsWith('arn:aws')), (kmsKeyArn) => throws(StorageClassPreset.awsGp3({ kmsKeyArn }))), RUNS);
  });

  test('malformed Alibaba Cloud key ids', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/^key-[a-z0-9]{8,}$/.test(s)), (kmsKeyId) => throws(StorageClassPreset.alibabaEssd({ kmsKeyId }))), RUNS);
  });
});
