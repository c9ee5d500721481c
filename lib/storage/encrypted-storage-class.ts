import { Construct } from 'constructs';
import { ReclaimPolicy, StorageClassBase, StorageClassCommonProps, VolumeBindingMode } from './storage-class-base';
import { StorageClassPreset } from './storage-class-preset';
import { fail, show } from '../common/errors';

/** Props of {@link EncryptedStorageClass}. */
export interface EncryptedStorageClassProps extends StorageClassCommonProps {
  /** The driver, volume type and performance (e.g. `StorageClassPreset.awsGp3({ iops: 3000 })`). */
  readonly preset: StorageClassPreset;
  /**
   * What happens to a volume when its claim is deleted. Use `Retain` for data you cannot rebuild.
   * @default 'Delete'
   */
  readonly reclaimPolicy?: ReclaimPolicy;
  /**
   * When volumes are created. `WaitForFirstConsumer` creates a zonal disk in the zone the pod is
   * scheduled to; `Immediate` can create it in a zone the pod can never run in.
   * @default 'WaitForFirstConsumer'
   */
  readonly volumeBindingMode?: VolumeBindingMode;
  /** Let claims grow (both the EBS and the Alibaba Cloud disk CSI drivers resize online). @default true */
  readonly allowVolumeExpansion?: boolean;
  /** Mount options for the volumes. @default - none */
  readonly mountOptions?: string[];
}

/**
 * A CSI StorageClass whose volumes are encrypted at rest by default, built from a
 * {@link StorageClassPreset} that is checked against the provider's documented limits.
 * Secure defaults: `encrypted: "true"`, `WaitForFirstConsumer`, `allowVolumeExpansion: true`,
 * and never an in-tree provisioner.
 */
export class EncryptedStorageClass extends StorageClassBase {
  /** The preset this class was built from. */
  public readonly preset: StorageClassPreset;
  /** Whether volumes are encrypted at rest. */
  public readonly encrypted: boolean;
  private readonly sizeCheck: (sizeGiB: number) => string[];

  constructor(scope: Construct, id: string, props: EncryptedStorageClassProps) {
    super(scope, id, props);
    const bindingMode = props.volumeBindingMode ?? 'WaitForFirstConsumer';
    if (!['WaitForFirstConsumer', 'Immediate'].includes(bindingMode)) {
      fail(this, `'volumeBindingMode' ${show(bindingMode)} is not a binding mode: use 'WaitForFirstConsumer' (recommended) or 'Immediate'.`);
    }
    const reclaimPolicy = props.reclaimPolicy ?? 'Delete';
    if (!['Delete', 'Retain'].includes(reclaimPolicy)) {
      fail(this, `'reclaimPolicy' ${show(reclaimPolicy)} is not allowed: use 'Delete' or 'Retain' ('Recycle' is deprecated and CSI drivers do not support it).`);
    }
    const resolved = props.preset.resolve(this);
    this.preset = props.preset;
    this.encrypted = resolved.encrypted;
    this.sizeCheck = resolved.checkVolumeSize;
    this.render({
      provisioner: resolved.provisioner,
      parameters: resolved.parameters,
      reclaimPolicy,
      volumeBindingMode: bindingMode,
      allowVolumeExpansion: props.allowVolumeExpansion ?? true,
      mountOptions: props.mountOptions,
    });
  }

  /** @inheritdoc */
  public checkVolumeSize(sizeGiB: number): string[] {
    return this.sizeCheck(sizeGiB);
  }
}
