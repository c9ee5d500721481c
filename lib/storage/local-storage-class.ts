import { Construct } from 'constructs';
import { ReclaimPolicy, StorageClassBase, StorageClassCommonProps, VolumeBindingMode } from './storage-class-base';
import { NO_PROVISIONER } from './storage-class-preset';
import { fail, show } from '../common/errors';

/** Props of {@link LocalStorageClass}. */
export interface LocalStorageClassProps extends StorageClassCommonProps {
  /**
   * Must stay `WaitForFirstConsumer`: a local volume lives on one node, so the claim may only bind
   * once the scheduler has picked the pod's node. `Immediate` is rejected.
   * @default 'WaitForFirstConsumer'
   */
  readonly volumeBindingMode?: VolumeBindingMode;
  /** Must stay false: nothing can grow a pre-created local volume. `true` is rejected. @default false */
  readonly allowVolumeExpansion?: boolean;
  /** Recorded on the class; each {@link LocalPersistentVolume} carries its own policy. @default 'Retain' */
  readonly reclaimPolicy?: ReclaimPolicy;
}

/**
 * The StorageClass of statically created local volumes (`kubernetes.io/no-provisioner`): the
 * class only delays binding until the pod is scheduled; the volumes themselves are
 * {@link LocalPersistentVolume}s pinned to nodes. Local disks are as secure as the node's disk
 * encryption: this class cannot encrypt them.
 */
export class LocalStorageClass extends StorageClassBase {
  constructor(scope: Construct, id: string, props: LocalStorageClassProps = {}) {
    super(scope, id, props);
    const bindingMode = props.volumeBindingMode ?? 'WaitForFirstConsumer';
    if (bindingMode !== 'WaitForFirstConsumer') {
      fail(this, `'volumeBindingMode' ${show(bindingMode)} cannot work for local volumes: a local volume exists on one node only, and binding before the pod is scheduled can pin the pod to a node it does not fit on; use 'WaitForFirstConsumer' (the default).`);
    }
    if (props.allowVolumeExpansion === true) {
      fail(this, '\'allowVolumeExpansion\' is true, but local volumes cannot be expanded: \'kubernetes.io/no-provisioner\' has no resizer, so resize requests would hang; remove it and size each LocalPersistentVolume to its disk.');
    }
    const reclaimPolicy = props.reclaimPolicy ?? 'Retain';
    if (!['Delete', 'Retain'].includes(reclaimPolicy)) {
      fail(this, `'reclaimPolicy' ${show(reclaimPolicy)} is not allowed: use 'Retain' (default) or 'Delete'.`);
    }
    this.render({
      provisioner: NO_PROVISIONER,
      parameters: {},
      reclaimPolicy,
      volumeBindingMode: bindingMode,
      allowVolumeExpansion: false,
    });
  }

  /** @inheritdoc */
  public checkVolumeSize(_sizeGiB: number): string[] {
    return [];
  }
}
