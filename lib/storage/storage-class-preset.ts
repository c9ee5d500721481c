import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/** The AWS EBS CSI driver's provisioner name. */
export const AWS_EBS_CSI_PROVISIONER = 'ebs.csi.aws.com';
/** The Alibaba Cloud disk CSI driver's provisioner name. */
export const ALIBABA_DISK_CSI_PROVISIONER = 'diskplugin.csi.alibabacloud.com';
/** The "provisioner" of statically created local volumes. */
export const NO_PROVISIONER = 'kubernetes.io/no-provisioner';

/** An EBS volume type the EBS CSI driver can create (the previous-generation `standard` is left out). */
export type AwsEbsVolumeType = 'gp3' | 'gp2' | 'io1' | 'io2' | 'st1' | 'sc1';

/** A documented numeric range, both ends included. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** The documented limits of one EBS volume type. */
export interface AwsEbsTypeLimits {
  /** Volume size in GiB. */
  readonly sizeGiB: Range;
  /** Provisioned IOPS, when the type takes an `iops` parameter. */
  readonly iops?: Range;
  /** The highest ratio of provisioned IOPS to size. */
  readonly maxIopsPerGiB?: number;
  /** Provisioned throughput in MiB/s, when the type takes a `throughput` parameter. */
  readonly throughputMiBps?: Range;
  /** The highest ratio of provisioned throughput (MiB/s) to provisioned IOPS. */
  readonly maxThroughputPerIops?: number;
}

/**
 * The EBS limits from the Amazon EBS volume types page and the aws-ebs-csi-driver
 * `parameters.md` table: gp3 3,000-16,000 IOPS at up to 500 IOPS/GiB and 125-1,000 MiB/s at up to
 * 0.25 MiB/s per IOPS; io1 100-64,000 IOPS at up to 50 IOPS/GiB; io2 (Block Express) 100-256,000
 * IOPS at up to 1,000 IOPS/GiB; gp2/st1/sc1 take neither IOPS nor throughput (their performance
 * follows size). Only gp3 takes `throughput`.
 */
export const AWS_EBS_LIMITS: Readonly<Record<AwsEbsVolumeType, AwsEbsTypeLimits>> = {
  gp3: {
    sizeGiB: { min: 1, max: 16384 }, iops: { min: 3000, max: 16000 }, maxIopsPerGiB: 500,
    throughputMiBps: { min: 125, max: 1000 }, maxThroughputPerIops: 0.25,
  },
  gp2: { sizeGiB: { min: 1, max: 16384 } },
  io1: { sizeGiB: { min: 4, max: 16384 }, iops: { min: 100, max: 64000 }, maxIopsPerGiB: 50 },
  io2: { sizeGiB: { min: 4, max: 65536 }, iops: { min: 100, max: 256000 }, maxIopsPerGiB: 1000 },
  st1: { sizeGiB: { min: 125, max: 16384 } },
  sc1: { sizeGiB: { min: 125, max: 16384 } },
};

/** gp3's baseline, included in its price: what the driver provisions when nothing is asked. */
export const AWS_GP3_BASELINE = { iops: 3000, throughputMiBps: 125 } as const;

/** An Alibaba Cloud disk category this library builds classes for. */
export type AlibabaDiskCategory = 'cloud_essd' | 'cloud_ssd' | 'cloud_efficiency';

/** An ESSD performance level. */
export type AlibabaPerformanceLevel = 'PL0' | 'PL1' | 'PL2' | 'PL3';

/**
 * Alibaba Cloud disk sizes (GiB) per category, and per performance level for ESSDs, as the disk
 * CSI driver (`pkg/disk/category.go`) and the ACK disk volume overview document them.
 */
export const ALIBABA_DISK_SIZE_GIB: Readonly<Record<'cloud_ssd' | 'cloud_efficiency' | AlibabaPerformanceLevel, Range>> = {
  cloud_efficiency: { min: 20, max: 65536 },
  cloud_ssd: { min: 20, max: 65536 },
  PL0: { min: 1, max: 65536 },
  PL1: { min: 20, max: 65536 },
  PL2: { min: 461, max: 65536 },
  PL3: { min: 1261, max: 65536 },
};

/** The file system the driver formats new volumes with. */
export type FileSystemType = 'ext4' | 'xfs' | 'ext3';

/** Encryption at rest, shared by every preset. */
export interface EncryptionOptions {
  /**
   * Encrypt volumes at rest.
   * @default true — to turn it off, set `false` and say why in `unencryptedReason`
   */
  readonly encrypted?: boolean;
  /** Why volumes of this class may be stored unencrypted. Required with `encrypted: false`. @default - none */
  readonly unencryptedReason?: string;
  /** The file system to format volumes with (`csi.storage.k8s.io/fstype`). @default 'ext4' */
  readonly fsType?: FileSystemType;
}

/** Encryption with an AWS KMS key. */
export interface AwsEncryptionOptions extends EncryptionOptions {
  /**
   * The full ARN of the KMS key (`arn:aws:kms:<region>:<account>:key/<id>`, or an alias ARN).
   * @default - the account's default EBS key (`alias/aws/ebs`)
   */
  readonly kmsKeyArn?: string;
}

/** gp3: IOPS and throughput are provisioned independently of size. */
export interface AwsGp3Options extends AwsEncryptionOptions {
  /** Provisioned IOPS (3,000-16,000, at most 500 per GiB). @default 3000 (the included baseline) */
  readonly iops?: number;
  /** IOPS per GiB of claim size (`iopsPerGB`) instead of a fixed `iops`. @default - fixed `iops` */
  readonly iopsPerGiB?: number;
  /** Provisioned throughput in MiB/s (125-1,000, at most 0.25 per IOPS). @default 125 (the included baseline) */
  readonly throughputMiBps?: number;
}

/** io1/io2: provisioned IOPS, fixed or per GiB. */
export interface AwsProvisionedIopsOptions extends AwsEncryptionOptions {
  /** Provisioned IOPS (io1 100-64,000 at most 50/GiB; io2 100-256,000 at most 1,000/GiB). @default - required unless `iopsPerGiB` */
  readonly iops?: number;
  /** IOPS per GiB of claim size (`iopsPerGB`). @default - required unless `iops` */
  readonly iopsPerGiB?: number;
}

/** Every EBS option, for {@link StorageClassPreset.aws}; what a type does not take is rejected. */
export interface AwsEbsOptions extends AwsEncryptionOptions {
  /** Provisioned IOPS (gp3, io1, io2 only). @default - per type */
  readonly iops?: number;
  /** IOPS per GiB (gp3, io1, io2 only). @default - none */
  readonly iopsPerGiB?: number;
  /** Provisioned throughput in MiB/s (gp3 only). @default - per type */
  readonly throughputMiBps?: number;
}

/** An Alibaba Cloud disk. */
export interface AlibabaDiskOptions extends EncryptionOptions {
  /**
   * The ESSD performance level (cloud_essd only). PL2 needs claims of 461 GiB or more, PL3 1,261 GiB.
   * @default 'PL1' for cloud_essd
   */
  readonly performanceLevel?: AlibabaPerformanceLevel;
  /** The KMS key id (a UUID, or a KMS 3.0 id such as `key-hzz6...`). @default - the account's default disk key */
  readonly kmsKeyId?: string;
}

/** Any other CSI driver: parameters are passed through, only the provisioner name is checked. */
export interface CsiOptions {
  /** The CSI driver name (e.g. `pd.csi.storage.gke.io`). */
  readonly provisioner: string;
  /** Driver parameters, passed through as given. @default {} */
  readonly parameters?: Record<string, string>;
  /**
   * Whether `parameters` make the driver encrypt volumes at rest: this library cannot check an
   * unknown driver, so you state it.
   */
  readonly encryptedAtRest: boolean;
  /** Why volumes of this class may be stored unencrypted. Required with `encryptedAtRest: false`. @default - none */
  readonly unencryptedReason?: string;
}

/** What a preset resolves to once checked against a construct. */
export interface ResolvedPreset {
  readonly provisioner: string;
  readonly parameters: Record<string, string>;
  readonly encrypted: boolean;
  readonly checkVolumeSize: (sizeGiB: number) => string[];
}

/**
 * In-tree volume plugins and the CSI drivers that replace them. A class that names an in-tree
 * provisioner whose code is gone never provisions: claims stay Pending with no error on the class.
 */
export const IN_TREE_PROVISIONERS: Readonly<Record<string, string>> = {
  'kubernetes.io/aws-ebs': AWS_EBS_CSI_PROVISIONER,
  'kubernetes.io/gce-pd': 'pd.csi.storage.gke.io',
  'kubernetes.io/azure-disk': 'disk.csi.azure.com',
  'kubernetes.io/azure-file': 'file.csi.azure.com',
  'kubernetes.io/cinder': 'cinder.csi.openstack.org',
  'kubernetes.io/vsphere-volume': 'csi.vsphere.vmware.com',
  'kubernetes.io/portworx-volume': 'pxd.portworx.com',
  'kubernetes.io/rbd': 'rbd.csi.ceph.com',
  'kubernetes.io/cephfs': 'cephfs.csi.ceph.com',
  'alicloud/disk': ALIBABA_DISK_CSI_PROVISIONER,
};

const AWS_TYPES = Object.keys(AWS_EBS_LIMITS) as AwsEbsVolumeType[];
const ALIBABA_CATEGORIES: AlibabaDiskCategory[] = ['cloud_essd', 'cloud_ssd', 'cloud_efficiency'];
const PERFORMANCE_LEVELS: AlibabaPerformanceLevel[] = ['PL0', 'PL1', 'PL2', 'PL3'];
const FS_TYPES: FileSystemType[] = ['ext4', 'xfs', 'ext3'];
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** A KMS key or alias ARN in any AWS partition. */
const AWS_KMS_ARN = new RegExp(`^arn:aws(-cn|-us-gov|-iso|-iso-b)?:kms:[a-z]{2}(-[a-z]+)+-\\d:\\d{12}:(key/(${UUID}|mrk-[0-9a-f]{32})|alias/[A-Za-z0-9/_-]+)$`);
/** An Alibaba Cloud KMS key id: a KMS 1.0 UUID or a KMS 3.0 `key-...` id. */
const ALIBABA_KMS_KEY_ID = new RegExp(`^(${UUID}|key-[a-z0-9]{8,64})$`);
/** A CSI driver name: at most 63 characters, alphanumeric at both ends, '-', '.' between. */
const CSI_DRIVER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9.]{0,61}[A-Za-z0-9])?$/;

/** Which driver family a {@link StorageClassPreset} targets. */
export type StoragePresetProvider = 'aws' | 'alibaba' | 'csi';

/**
 * Named StorageClass presets for {@link EncryptedStorageClass}: the AWS EBS CSI driver
 * (`ebs.csi.aws.com`), the Alibaba Cloud disk CSI driver (`diskplugin.csi.alibabacloud.com`), or
 * another CSI driver. A preset only records what was asked; the class checks it against the
 * provider's documented limits and throws with its construct path.
 */
export class StorageClassPreset {
  /** General purpose SSD with provisioned IOPS and throughput (3,000 IOPS and 125 MiB/s included). */
  public static awsGp3(options: AwsGp3Options = {}): StorageClassPreset {
    return new StorageClassPreset('aws', 'gp3', options);
  }

  /** Previous-generation general purpose SSD: 3 IOPS per GiB, no provisioned performance. */
  public static awsGp2(options: AwsEncryptionOptions = {}): StorageClassPreset {
    return new StorageClassPreset('aws', 'gp2', options);
  }

  /** Provisioned IOPS SSD (io1): 100-64,000 IOPS at up to 50 IOPS per GiB. */
  public static awsIo1(options: AwsProvisionedIopsOptions): StorageClassPreset {
    return new StorageClassPreset('aws', 'io1', options);
  }

  /** Provisioned IOPS SSD (io2 Block Express): 100-256,000 IOPS at up to 1,000 IOPS per GiB. */
  public static awsIo2(options: AwsProvisionedIopsOptions): StorageClassPreset {
    return new StorageClassPreset('aws', 'io2', options);
  }

  /** Throughput optimized HDD (st1): volumes of 125 GiB or more. */
  public static awsSt1(options: AwsEncryptionOptions = {}): StorageClassPreset {
    return new StorageClassPreset('aws', 'st1', options);
  }

  /** Cold HDD (sc1): volumes of 125 GiB or more. */
  public static awsSc1(options: AwsEncryptionOptions = {}): StorageClassPreset {
    return new StorageClassPreset('aws', 'sc1', options);
  }

  /** Any EBS type by name (`gp3`, `gp2`, `io1`, `io2`, `st1`, `sc1`); an unknown name fails with the list. */
  public static aws(volumeType: string, options: AwsEbsOptions = {}): StorageClassPreset {
    return new StorageClassPreset('aws', volumeType, options);
  }

  /** Alibaba Cloud enhanced SSD at a performance level (PL0-PL3, default PL1). */
  public static alibabaEssd(options: AlibabaDiskOptions = {}): StorageClassPreset {
    return new StorageClassPreset('alibaba', 'cloud_essd', options);
  }

  /** Alibaba Cloud standard SSD. */
  public static alibabaSsd(options: Omit<AlibabaDiskOptions, 'performanceLevel'> = {}): StorageClassPreset {
    return new StorageClassPreset('alibaba', 'cloud_ssd', options);
  }

  /** Alibaba Cloud ultra disk. */
  public static alibabaEfficiency(options: Omit<AlibabaDiskOptions, 'performanceLevel'> = {}): StorageClassPreset {
    return new StorageClassPreset('alibaba', 'cloud_efficiency', options);
  }

  /** Any Alibaba Cloud disk category by name (`cloud_essd`, `cloud_ssd`, `cloud_efficiency`). */
  public static alibaba(category: string, options: AlibabaDiskOptions = {}): StorageClassPreset {
    return new StorageClassPreset('alibaba', category, options);
  }

  /** Another CSI driver; in-tree provisioner names are rejected with the CSI driver to use instead. */
  public static csi(options: CsiOptions): StorageClassPreset {
    return new StorageClassPreset('csi', options.provisioner, options);
  }

  private constructor(
    /** Which family of driver this preset targets. */
    public readonly provider: StoragePresetProvider,
    /** The volume type, disk category or CSI driver name asked for. */
    public readonly volumeType: string,
    private readonly options: AwsEbsOptions | AlibabaDiskOptions | CsiOptions,
  ) {}

  /** Checks the preset against its provider's limits, failing with `scope`'s path, and resolves it. */
  public resolve(scope: IConstruct): ResolvedPreset {
    switch (this.provider) {
      case 'aws': return resolveAws(scope, this.volumeType, this.options as AwsEbsOptions);
      case 'alibaba': return resolveAlibaba(scope, this.volumeType, this.options as AlibabaDiskOptions);
      default: return resolveCsi(scope, this.options as CsiOptions);
    }
  }
}

function resolveEncryption(scope: IConstruct, options: EncryptionOptions, keyProp: string, key: string | undefined): boolean {
  const encrypted = options.encrypted ?? true;
  if (!encrypted && key !== undefined) {
    fail(scope, `'${keyProp}' (${show(key)}) is set but 'encrypted' is false: a KMS key only takes effect on encrypted volumes; remove 'encrypted: false' (recommended) or remove '${keyProp}'.`);
  }
  if (!encrypted && (options.unencryptedReason ?? '').trim() === '') {
    fail(scope, '\'encrypted\' is false without an \'unencryptedReason\': volumes are encrypted at rest by default; keep encryption on, or say why this class may store data unencrypted in \'unencryptedReason\'.');
  }
  if (options.fsType !== undefined && !FS_TYPES.includes(options.fsType)) {
    fail(scope, `'fsType' ${show(options.fsType)} is not supported: use one of ${FS_TYPES.map((t) => show(t)).join(', ')}.`);
  }
  return encrypted;
}

function checkWholeInRange(scope: IConstruct, what: string, value: number, range: Range, unit: string, fix: string): void {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    fail(scope, `${what} (${show(value)}) is outside the documented range: use a whole number from ${range.min} to ${range.max} ${unit}; ${fix}.`);
  }
}

function resolveAws(scope: IConstruct, volumeType: string, options: AwsEbsOptions): ResolvedPreset {
  if (!(AWS_TYPES as string[]).includes(volumeType)) {
    fail(scope, `EBS volume type ${show(volumeType)} is not known: use one of ${AWS_TYPES.map((t) => show(t)).join(', ')} (the previous-generation 'standard' is not offered).`);
  }
  const type = volumeType as AwsEbsVolumeType;
  const limits = AWS_EBS_LIMITS[type];
  if (options.kmsKeyArn !== undefined && !AWS_KMS_ARN.test(options.kmsKeyArn)) {
    fail(scope, `'kmsKeyArn' ${show(options.kmsKeyArn)} is not a KMS key ARN: the EBS CSI driver needs the full ARN, 'arn:aws:kms:<region>:<12-digit account>:key/<key id>' (or ':alias/<name>'), e.g. 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab'.`);
  }
  const encrypted = resolveEncryption(scope, options, 'kmsKeyArn', options.kmsKeyArn);

  if (limits.iops === undefined && options.iops !== undefined) {
    fail(scope, `'iops' (${show(options.iops)}) is not a parameter of ${type} volumes: their performance follows their size; remove 'iops', or use gp3 (3,000-16,000 IOPS) or io2 for provisioned IOPS.`);
  }
  if (limits.iops === undefined && options.iopsPerGiB !== undefined) {
    fail(scope, `'iopsPerGiB' (${show(options.iopsPerGiB)}) is not a parameter of ${type} volumes: their performance follows their size; remove 'iopsPerGiB', or use gp3, io1 or io2.`);
  }
  if (limits.throughputMiBps === undefined && options.throughputMiBps !== undefined) {
    fail(scope, `'throughputMiBps' (${show(options.throughputMiBps)}) is not a parameter of ${type} volumes: the EBS CSI driver applies 'throughput' to gp3 only; remove it, or use gp3 (125-1,000 MiB/s).`);
  }
  if (options.iops !== undefined && options.iopsPerGiB !== undefined) {
    fail(scope, `both 'iops' (${show(options.iops)}) and 'iopsPerGiB' (${show(options.iopsPerGiB)}) are set: the EBS CSI driver rejects a class with both; keep one.`);
  }
  if ((type === 'io1' || type === 'io2') && options.iops === undefined && options.iopsPerGiB === undefined) {
    fail(scope, `${type} volumes need provisioned IOPS: set 'iops' (${limits.iops!.min}-${limits.iops!.max}) or 'iopsPerGiB' (at most ${limits.maxIopsPerGiB}).`);
  }

  const parameters: Record<string, string> = {
    'csi.storage.k8s.io/fstype': options.fsType ?? 'ext4',
    'type': type,
    'encrypted': String(encrypted),
  };
  if (options.kmsKeyArn !== undefined) parameters.kmsKeyId = options.kmsKeyArn;

  let iops: number | undefined;
  if (limits.iops !== undefined) {
    if (options.iopsPerGiB !== undefined) {
      checkWholeInRange(scope, `'iopsPerGiB' for ${type}`, options.iopsPerGiB, { min: 1, max: limits.maxIopsPerGiB! }, 'IOPS per GiB', `AWS caps ${type} at ${limits.maxIopsPerGiB} IOPS per GiB`);
      parameters.iopsPerGB = String(options.iopsPerGiB);
    } else {
      iops = options.iops ?? (type === 'gp3' ? AWS_GP3_BASELINE.iops : undefined);
      checkWholeInRange(scope, `'iops' for ${type}`, iops!, limits.iops, 'IOPS', 'lower or raise \'iops\' into the range');
      parameters.iops = String(iops);
    }
  }
  let throughput: number | undefined;
  if (limits.throughputMiBps !== undefined) {
    throughput = options.throughputMiBps ?? AWS_GP3_BASELINE.throughputMiBps;
    checkWholeInRange(scope, `'throughputMiBps' for ${type}`, throughput, limits.throughputMiBps, 'MiB/s', 'lower or raise \'throughputMiBps\' into the range');
    if (iops !== undefined && throughput > iops * limits.maxThroughputPerIops!) {
      fail(scope, `'throughputMiBps' (${throughput}) is more than gp3 allows for ${iops} IOPS: AWS caps throughput at ${limits.maxThroughputPerIops} MiB/s per provisioned IOPS (${iops * limits.maxThroughputPerIops!} MiB/s here); raise 'iops' to at least ${Math.ceil(throughput / limits.maxThroughputPerIops!)} or lower 'throughputMiBps'.`);
    }
    parameters.throughput = String(throughput);
  }

  const checkVolumeSize = (sizeGiB: number): string[] => {
    const problems: string[] = [];
    if (sizeGiB < limits.sizeGiB.min || sizeGiB > limits.sizeGiB.max) {
      problems.push(`${type} volumes must be ${limits.sizeGiB.min}-${limits.sizeGiB.max} GiB, but ${sizeGiB} GiB is requested`);
    }
    if (iops !== undefined && limits.maxIopsPerGiB !== undefined && iops > sizeGiB * limits.maxIopsPerGiB) {
      problems.push(`${iops} IOPS needs a ${type} volume of at least ${Math.ceil(iops / limits.maxIopsPerGiB)} GiB (at most ${limits.maxIopsPerGiB} IOPS per GiB), but ${sizeGiB} GiB is requested`);
    }
    if (options.iopsPerGiB !== undefined && limits.iops !== undefined) {
      const total = options.iopsPerGiB * sizeGiB;
      if (total < limits.iops.min) {
        problems.push(`${options.iopsPerGiB} IOPS per GiB on ${sizeGiB} GiB gives ${total} IOPS, below the ${type} minimum of ${limits.iops.min}: the EBS CSI driver refuses to create it`);
      }
      if (throughput !== undefined && throughput > Math.min(total, limits.iops.max) * limits.maxThroughputPerIops!) {
        problems.push(`${throughput} MiB/s needs at least ${Math.ceil(throughput / limits.maxThroughputPerIops!)} IOPS, but ${options.iopsPerGiB} IOPS per GiB on ${sizeGiB} GiB gives ${total}`);
      }
    }
    return problems;
  };
  return { provisioner: AWS_EBS_CSI_PROVISIONER, parameters, encrypted, checkVolumeSize };
}

function resolveAlibaba(scope: IConstruct, category: string, options: AlibabaDiskOptions): ResolvedPreset {
  if (!(ALIBABA_CATEGORIES as string[]).includes(category)) {
    fail(scope, `Alibaba Cloud disk category ${show(category)} is not known: use one of ${ALIBABA_CATEGORIES.map((c) => show(c)).join(', ')}.`);
  }
  if (options.kmsKeyId !== undefined && !ALIBABA_KMS_KEY_ID.test(options.kmsKeyId)) {
    fail(scope, `'kmsKeyId' ${show(options.kmsKeyId)} is not an Alibaba Cloud KMS key id: use the key's id, a UUID such as '0e478b7a-4262-4802-b8cb-00d3fb408f3e' or a KMS 3.0 id such as 'key-hzz62f1cb66fa42qo3a8x', not its alias or ARN.`);
  }
  const encrypted = resolveEncryption(scope, options, 'kmsKeyId', options.kmsKeyId);
  if (category !== 'cloud_essd' && options.performanceLevel !== undefined) {
    fail(scope, `'performanceLevel' (${show(options.performanceLevel)}) is not a parameter of ${category} disks: performance levels apply to ESSDs only; remove it, or use StorageClassPreset.alibabaEssd(...).`);
  }
  if (options.performanceLevel !== undefined && !PERFORMANCE_LEVELS.includes(options.performanceLevel)) {
    fail(scope, `'performanceLevel' ${show(options.performanceLevel)} is not an ESSD performance level: use one of ${PERFORMANCE_LEVELS.map((p) => show(p)).join(', ')}.`);
  }
  const level = category === 'cloud_essd' ? options.performanceLevel ?? 'PL1' : undefined;
  const parameters: Record<string, string> = {
    'csi.storage.k8s.io/fstype': options.fsType ?? 'ext4',
    'type': category,
    'encrypted': String(encrypted),
  };
  if (level !== undefined) parameters.performanceLevel = level;
  if (options.kmsKeyId !== undefined) parameters.kmsKeyId = options.kmsKeyId;
  const sizes = ALIBABA_DISK_SIZE_GIB[level ?? (category as 'cloud_ssd' | 'cloud_efficiency')];
  const what = level !== undefined ? `${category} ${level}` : category;
  const checkVolumeSize = (sizeGiB: number): string[] =>
    sizeGiB < sizes.min || sizeGiB > sizes.max ? [`${what} disks must be ${sizes.min}-${sizes.max} GiB, but ${sizeGiB} GiB is requested`] : [];
  return { provisioner: ALIBABA_DISK_CSI_PROVISIONER, parameters, encrypted, checkVolumeSize };
}

function resolveCsi(scope: IConstruct, options: CsiOptions): ResolvedPreset {
  const replacement = IN_TREE_PROVISIONERS[options.provisioner];
  if (replacement !== undefined) {
    fail(scope, `provisioner ${show(options.provisioner)} is an in-tree volume plugin whose code is gone from current Kubernetes (kubernetes.io/aws-ebs since 1.27): a class naming it never provisions and claims stay Pending; use the CSI driver ${show(replacement)} instead${replacement === AWS_EBS_CSI_PROVISIONER ? ' (StorageClassPreset.awsGp3(...) and friends)' : replacement === ALIBABA_DISK_CSI_PROVISIONER ? ' (StorageClassPreset.alibabaEssd(...) and friends)' : ''}.`);
  }
  if (options.provisioner === NO_PROVISIONER) {
    fail(scope, `provisioner ${show(NO_PROVISIONER)} provisions nothing: for local disks use LocalStorageClass with LocalPersistentVolume.`);
  }
  if (!CSI_DRIVER_NAME.test(options.provisioner)) {
    fail(scope, `provisioner ${show(options.provisioner)} is not a valid CSI driver name: use at most 63 alphanumerics, '-' and '.', alphanumeric at both ends (e.g. 'pd.csi.storage.gke.io').`);
  }
  if (!options.encryptedAtRest && (options.unencryptedReason ?? '').trim() === '') {
    fail(scope, '\'encryptedAtRest\' is false without an \'unencryptedReason\': set the driver\'s encryption parameters and \'encryptedAtRest: true\', or say why this class may store data unencrypted in \'unencryptedReason\'.');
  }
  return {
    provisioner: options.provisioner, parameters: { ...(options.parameters ?? {}) }, encrypted: options.encryptedAtRest, checkVolumeSize: () => [],
  };
}
