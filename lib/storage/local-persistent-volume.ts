import { ApiObject, Size } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { LocalStorageClass } from './local-storage-class';
import { ReclaimPolicy } from './storage-class-base';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { MANAGED_BY } from '../common/labels';
import { isDns1123Subdomain, validateDns1123Subdomain } from '../common/validation';

/** The label that pins a local volume to its node. */
export const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** An access mode a single-node local volume can honour. */
export type LocalAccessMode = 'ReadWriteOnce' | 'ReadWriteOncePod' | 'ReadOnlyMany';

/** Props of {@link LocalPersistentVolume}. */
export interface LocalPersistentVolumeProps {
  /** The PersistentVolume name. @default - the construct id */
  readonly name?: string;
  /** The class claims ask for to get this volume. */
  readonly storageClass: LocalStorageClass;
  /** The disk's usable capacity (e.g. `Size.gibibytes(100)`). */
  readonly capacity: Size;
  /** The absolute path of the mounted disk (or block device) on the node, e.g. `/mnt/disks/ssd1`. */
  readonly path: string;
  /** The node (its `kubernetes.io/hostname` label) the disk is attached to. */
  readonly hostname: string;
  /** A formatted file system (`Filesystem`) or a raw block device (`Block`). @default 'Filesystem' */
  readonly volumeMode?: 'Filesystem' | 'Block';
  /** How pods may use it; a local disk can never be `ReadWriteMany`. @default ['ReadWriteOnce'] */
  readonly accessModes?: LocalAccessMode[];
  /**
   * What happens to the data when the claim is released. `Delete` is not implemented for static
   * local volumes without the local static provisioner; `Retain` keeps the data for a human.
   * @default 'Retain'
   */
  readonly reclaimPolicy?: ReclaimPolicy;
}

/**
 * A PersistentVolume for a disk attached to one node: `spec.local.path`, a required node affinity
 * on `kubernetes.io/hostname`, the class's name, and `Retain` by default so released data is
 * never scrubbed silently. Claims bind to it only once their pod is scheduled to that node.
 */
export class LocalPersistentVolume extends Construct {
  /** The PersistentVolume name. */
  public readonly name: string;
  /** The node the volume is pinned to. */
  public readonly hostname: string;
  /** The generated PersistentVolume. */
  public readonly apiObject: ApiObject;

  constructor(scope: Construct, id: string, props: LocalPersistentVolumeProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'PersistentVolume name', this.name);
    requireClusterScope(this, 'PersistentVolume');
    if (!props.path.startsWith('/') || props.path.split('/').includes('..') || props.path === '/') {
      fail(this, `'path' ${show(props.path)} is not an absolute path to a disk: use the absolute mount point (or device) on the node, without '..', e.g. '/mnt/disks/ssd1'.`);
    }
    if (!isDns1123Subdomain(props.hostname)) {
      fail(this, `'hostname' ${show(props.hostname)} is not a valid node name: use the node's 'kubernetes.io/hostname' label value, e.g. 'ip-10-0-1-23.ec2.internal'.`);
    }
    this.hostname = props.hostname;
    const capacityGiB = props.capacity.toKibibytes() / (1024 * 1024);
    if (!(capacityGiB > 0)) {
      fail(this, `'capacity' (${props.capacity.asString()}) must be more than zero: give the disk's usable size, e.g. Size.gibibytes(100).`);
    }
    const volumeMode = props.volumeMode ?? 'Filesystem';
    if (!['Filesystem', 'Block'].includes(volumeMode)) {
      fail(this, `'volumeMode' ${show(volumeMode)} is not a volume mode: use 'Filesystem' or 'Block'.`);
    }
    const accessModes = props.accessModes ?? ['ReadWriteOnce'];
    if (accessModes.length === 0) {
      fail(this, '\'accessModes\' is empty: give at least one of \'ReadWriteOnce\', \'ReadWriteOncePod\', \'ReadOnlyMany\'.');
    }
    for (const mode of accessModes) {
      if (!['ReadWriteOnce', 'ReadWriteOncePod', 'ReadOnlyMany'].includes(mode)) {
        fail(this, `access mode ${show(mode)} cannot work for a local volume: the disk is attached to one node, so pods elsewhere cannot write to it; use 'ReadWriteOnce', 'ReadWriteOncePod' or 'ReadOnlyMany'.`);
      }
    }
    const reclaimPolicy = props.reclaimPolicy ?? 'Retain';
    if (!['Delete', 'Retain'].includes(reclaimPolicy)) {
      fail(this, `'reclaimPolicy' ${show(reclaimPolicy)} is not allowed: use 'Retain' (default) or 'Delete' ('Recycle' is deprecated).`);
    }

    this.apiObject = new k8s.KubePersistentVolume(this, 'Resource', {
      metadata: { name: this.name, labels: { 'app.kubernetes.io/managed-by': MANAGED_BY } },
      spec: {
        capacity: { storage: k8s.Quantity.fromString(props.capacity.asString()) },
        volumeMode,
        accessModes: [...accessModes],
        persistentVolumeReclaimPolicy: reclaimPolicy,
        storageClassName: props.storageClass.name,
        local: { path: props.path },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: HOSTNAME_LABEL, operator: 'In', values: [props.hostname] }] }],
          },
        },
      },
    });
  }
}
