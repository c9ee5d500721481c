import { Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  EncryptedStorageClass, IStorageClass, LocalAccessMode, LocalPersistentVolume, LocalStorageClass, PostgresDatabase,
  RedisCache, StorageClassBase, StorageClassPreset,
} from '../../lib/storage';
import { IWorkload } from '../../lib/workload/workload';

/** A disk attached to one node, offered through the `local-storage` class. */
export interface LocalDisk {
  /** The PersistentVolume name (e.g. `node-1-ssd1`). */
  readonly name: string;
  /** The node's `kubernetes.io/hostname`. */
  readonly hostname: string;
  /** The absolute mount point on the node (e.g. `/mnt/disks/ssd1`). */
  readonly path: string;
  /** The usable capacity. */
  readonly capacity: Size;
  /** Access modes. @default ['ReadWriteOnce'] */
  readonly accessModes?: LocalAccessMode[];
}

/** The four documented classes, plus any local volumes. */
export interface StorageBaseline {
  /** `fast-ssd`, the default class. */
  readonly fastSsd: EncryptedStorageClass;
  /** `standard-hdd`. */
  readonly standardHdd: EncryptedStorageClass;
  /** `high-iops-ssd` (Retain). */
  readonly highIopsSsd: EncryptedStorageClass;
  /** `local-storage` (no provisioner). */
  readonly localStorage: LocalStorageClass;
  /** The local volumes created from `localDisks`. */
  readonly localVolumes: LocalPersistentVolume[];
}

/** Options of {@link addStorageBaseline}. */
export interface AwsStorageBaselineOptions {
  /** The KMS key `fast-ssd` volumes are encrypted with (full key ARN). */
  readonly kmsKeyArn: string;
  /** Disks attached to nodes, offered as `local-storage` volumes. @default - none */
  readonly localDisks?: LocalDisk[];
}

/** Options of {@link addAlibabaStorageBaseline}. */
export interface AlibabaStorageBaselineOptions {
  /** The KMS key id `fast-ssd` disks are encrypted with. @default - the account's default disk key */
  readonly kmsKeyId?: string;
  /** Disks attached to nodes, offered as `local-storage` volumes. @default - none */
  readonly localDisks?: LocalDisk[];
}

/**
 * The documented storage baseline on AWS, on the EBS CSI driver (the documents' in-tree
 * `kubernetes.io/aws-ebs` was removed in Kubernetes 1.27): `fast-ssd` (default; gp3, 3000 IOPS,
 * 125 MiB/s, encrypted with `kmsKeyArn`), `standard-hdd` (gp2, encrypted), `high-iops-ssd` (io2,
 * 10000 IOPS, Retain) and `local-storage` (local volumes pinned to nodes), all
 * `WaitForFirstConsumer`; the three EBS classes allow expansion. `scope` must be a chart without a
 * namespace (storage classes are cluster-scoped).
 */
export function addStorageBaseline(scope: Construct, options: AwsStorageBaselineOptions): StorageBaseline {
  return addBaseline(scope, options.localDisks, {
    fastSsd: StorageClassPreset.awsGp3({ iops: 3000, throughputMiBps: 125, kmsKeyArn: options.kmsKeyArn }),
    standardHdd: StorageClassPreset.awsGp2(),
    highIopsSsd: StorageClassPreset.awsIo2({ iops: 10000 }),
  });
}

/**
 * The same four classes on Alibaba Cloud, on the disk CSI driver: `fast-ssd` (default; ESSD
 * PL1), `standard-hdd` (ultra disk, `cloud_efficiency`), `high-iops-ssd` (ESSD PL2, Retain; PL2
 * disks are 461 GiB or more) and `local-storage`; all encrypted.
 */
export function addAlibabaStorageBaseline(scope: Construct, options: AlibabaStorageBaselineOptions = {}): StorageBaseline {
  return addBaseline(scope, options.localDisks, {
    fastSsd: StorageClassPreset.alibabaEssd({ performanceLevel: 'PL1', kmsKeyId: options.kmsKeyId }),
    standardHdd: StorageClassPreset.alibabaEfficiency(),
    highIopsSsd: StorageClassPreset.alibabaEssd({ performanceLevel: 'PL2' }),
  });
}

function addBaseline(
  scope: Construct,
  localDisks: LocalDisk[] | undefined,
  presets: { fastSsd: StorageClassPreset; standardHdd: StorageClassPreset; highIopsSsd: StorageClassPreset },
): StorageBaseline {
  const fastSsd = new EncryptedStorageClass(scope, 'fast-ssd', { preset: presets.fastSsd, isDefault: true });
  const standardHdd = new EncryptedStorageClass(scope, 'standard-hdd', { preset: presets.standardHdd });
  const highIopsSsd = new EncryptedStorageClass(scope, 'high-iops-ssd', { preset: presets.highIopsSsd, reclaimPolicy: 'Retain' });
  const localStorage = new LocalStorageClass(scope, 'local-storage');
  const localVolumes = (localDisks ?? []).map((disk) => new LocalPersistentVolume(scope, disk.name, {
    storageClass: localStorage, hostname: disk.hostname, path: disk.path, capacity: disk.capacity, accessModes: disk.accessModes,
  }));
  return { fastSsd, standardHdd, highIopsSsd, localStorage, localVolumes };
}

/** Options of {@link addStorageBaselineForCloud}. */
export interface CloudStorageBaselineOptions {
  /** The KMS key ARN of `fast-ssd` on AWS (required when `cloud` is 'aws'). @default - none */
  readonly awsKmsKeyArn?: string;
  /** The KMS key id of `fast-ssd` on Alibaba Cloud. @default - the account's default disk key */
  readonly alibabaKmsKeyId?: string;
  /** Disks attached to nodes, offered as `local-storage` volumes. @default - none */
  readonly localDisks?: LocalDisk[];
}

/** {@link addStorageBaseline} or {@link addAlibabaStorageBaseline}, by cloud name. */
export function addStorageBaselineForCloud(scope: Construct, cloud: 'aws' | 'alibaba', options: CloudStorageBaselineOptions): StorageBaseline {
  if (cloud === 'alibaba') {
    return addAlibabaStorageBaseline(scope, { kmsKeyId: options.alibabaKmsKeyId, localDisks: options.localDisks });
  }
  if (options.awsKmsKeyArn === undefined) {
    throw new Error("addStorageBaselineForCloud: 'awsKmsKeyArn' is required on AWS: the documented fast-ssd class is encrypted with a customer KMS key.");
  }
  return addStorageBaseline(scope, { kmsKeyArn: options.awsKmsKeyArn, localDisks: options.localDisks });
}

/** Options of {@link addDataServices}. */
export interface DataServicesOptions {
  /**
   * The class of both data volumes. Pass the `fastSsd` of {@link addStorageBaseline} so that its
   * documented limits are checked against the volume sizes.
   * @default - the existing class named 'fast-ssd'
   */
  readonly storageClass?: IStorageClass;
  /** The workloads that connect to both (e.g. the user-service). @default - none */
  readonly clients?: IWorkload[];
  /** The Secret with Postgres' `username` and `password`. @default 'postgres-credentials' */
  readonly postgresSecretName?: string;
  /** The Secret with Redis' `password`. @default 'redis-credentials' */
  readonly redisSecretName?: string;
}

/** The data services of the user-service. */
export interface DataServices {
  readonly postgres: PostgresDatabase;
  readonly redis: RedisCache;
}

/**
 * The documented compose stack's databases, moved into Kubernetes for the user-service:
 * Postgres 15 (database `users`, tuned flags, pg_stat_statements) and Redis 7 (AOF every
 * second, 768 MiB LRU cap) on `fast-ssd`, hardened to PSS restricted, with credentials only from
 * Secrets. `scope` is the chart of the `production` namespace.
 */
export function addDataServices(scope: Construct, options: DataServicesOptions = {}): DataServices {
  const storageClass = options.storageClass ?? StorageClassBase.fromName(scope, 'fast-ssd-class', 'fast-ssd');
  const postgres = new PostgresDatabase(scope, 'postgres', {
    credentials: { secretName: options.postgresSecretName ?? 'postgres-credentials' },
    database: 'users',
    storageClass,
    storageSize: Size.gibibytes(20),
    settings: {
      sharedBuffers: Size.mebibytes(512),
      maxConnections: 200,
      effectiveCacheSize: Size.gibibytes(1),
      workMem: Size.mebibytes(4),
      maintenanceWorkMem: Size.mebibytes(64),
      pgStatStatements: true,
    },
    clients: options.clients,
    partOf: 'shop',
  });
  const redis = new RedisCache(scope, 'redis', {
    credentials: { secretName: options.redisSecretName ?? 'redis-credentials' },
    storageClass,
    // 20 GiB: room for AOF rewrites of the 768 MiB data set, and the smallest ESSD PL1 disk on Alibaba Cloud.
    storageSize: Size.gibibytes(20),
    settings: { appendonly: true, appendfsync: 'everysec', maxmemory: Size.mebibytes(768), maxmemoryPolicy: 'allkeys-lru' },
    clients: options.clients,
    partOf: 'shop',
  });
  return { postgres, redis };
}
