import { ApiObject, ApiObjectMetadata } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { requireClusterScope } from '../common/cluster-scope';
import { show } from '../common/errors';
import { MANAGED_BY } from '../common/labels';
import { validateDns1123Subdomain } from '../common/validation';

/** The annotation that marks the cluster's default StorageClass. */
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

/** When a volume is bound and provisioned. */
export type VolumeBindingMode = 'WaitForFirstConsumer' | 'Immediate';

/** What happens to a volume when its claim is deleted. */
export type ReclaimPolicy = 'Delete' | 'Retain';

/**
 * A StorageClass that claims can name: one built here, or one that already exists in the
 * cluster (see {@link StorageClassBase.fromName}).
 */
export interface IStorageClass extends IConstruct {
  /** The StorageClass name claims put in `storageClassName`. */
  readonly name: string;
  /**
   * Checks a volume size against the provider's documented limits for this class.
   * @returns the problems found, empty when the size fits (or when nothing is known of the class)
   */
  checkVolumeSize(sizeGiB: number): string[];
}

/** What every StorageClass built here can be told. */
export interface StorageClassCommonProps {
  /** The StorageClass name. @default - the construct id */
  readonly name?: string;
  /**
   * Make this the cluster's default class (annotation `storageclass.kubernetes.io/is-default-class`).
   * Exactly one class per app may be the default: a second one fails the synth.
   * @default false
   */
  readonly isDefault?: boolean;
  /** Extra labels on the StorageClass. @default - only `app.kubernetes.io/managed-by` */
  readonly labels?: Record<string, string>;
}

/** What a concrete class resolved before calling the base constructor. */
export interface StorageClassSpec {
  readonly provisioner: string;
  readonly parameters: Record<string, string>;
  readonly reclaimPolicy: ReclaimPolicy;
  readonly volumeBindingMode: VolumeBindingMode;
  readonly allowVolumeExpansion: boolean;
  readonly mountOptions?: string[];
}

/**
 * The shared part of {@link EncryptedStorageClass} and {@link LocalStorageClass}: one
 * `storage.k8s.io/v1` StorageClass, and the check that at most one class in the whole app is
 * marked default (two defaults make the API server pick one arbitrarily for every claim that
 * names no class).
 */
export abstract class StorageClassBase extends Construct implements IStorageClass {
  /** Refers to a StorageClass that already exists in the cluster; nothing is synthesized. */
  public static fromName(scope: Construct, id: string, name: string): IStorageClass {
    return new ImportedStorageClass(scope, id, name);
  }

  /** The StorageClass name. */
  public readonly name: string;
  /** Whether this is the app's default class. */
  public readonly isDefault: boolean;
  private readonly metadata: ApiObjectMetadata;
  private spec?: StorageClassSpec;
  private resource?: k8s.KubeStorageClass;

  protected constructor(scope: Construct, id: string, props: StorageClassCommonProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'StorageClass name', this.name);
    requireClusterScope(this, 'StorageClass');
    this.isDefault = props.isDefault ?? false;
    this.metadata = {
      name: this.name,
      labels: sortedRecord({ ...(props.labels ?? {}), 'app.kubernetes.io/managed-by': MANAGED_BY }),
      annotations: this.isDefault ? { [DEFAULT_CLASS_ANNOTATION]: 'true' } : undefined,
    };
    if (this.isDefault) {
      this.node.addValidation({ validate: () => this.validateSingleDefault() });
    }
  }

  /** The provisioner (CSI driver name, or `kubernetes.io/no-provisioner`). */
  public get provisioner(): string { return this.resolved.provisioner; }
  /** The provisioner parameters, sorted by key. */
  public get parameters(): Record<string, string> { return { ...this.resolved.parameters }; }
  /** What happens to a volume when its claim is deleted. */
  public get reclaimPolicy(): ReclaimPolicy { return this.resolved.reclaimPolicy; }
  /** When volumes are bound. */
  public get volumeBindingMode(): VolumeBindingMode { return this.resolved.volumeBindingMode; }
  /** Whether claims may grow. */
  public get allowVolumeExpansion(): boolean { return this.resolved.allowVolumeExpansion; }
  /** The generated StorageClass object (escape hatch: `addJsonPatch`, metadata). */
  public get apiObject(): ApiObject {
    if (this.resource === undefined) throw new Error(`${this.node.path}: the StorageClass was not rendered`);
    return this.resource;
  }

  /** Creates the StorageClass object; subclasses call it once, after checking their props. */
  protected render(spec: StorageClassSpec): void {
    this.spec = { ...spec, parameters: sortedRecord(spec.parameters) };
    this.resource = new k8s.KubeStorageClass(this, 'Resource', {
      metadata: this.metadata,
      provisioner: this.spec.provisioner,
      parameters: Object.keys(this.spec.parameters).length > 0 ? this.spec.parameters : undefined,
      reclaimPolicy: this.spec.reclaimPolicy,
      volumeBindingMode: this.spec.volumeBindingMode,
      allowVolumeExpansion: this.spec.allowVolumeExpansion,
      mountOptions: this.spec.mountOptions,
    });
  }

  private get resolved(): StorageClassSpec {
    if (this.spec === undefined) throw new Error(`${this.node.path}: the StorageClass was not rendered`);
    return this.spec;
  }

  /** @inheritdoc */
  public abstract checkVolumeSize(sizeGiB: number): string[];

  private validateSingleDefault(): string[] {
    const defaults = this.node.root.node.findAll()
      .filter((c): c is StorageClassBase => c instanceof StorageClassBase && c.isDefault);
    if (defaults.length <= 1) return [];
    const others = defaults.filter((c) => c !== this).map((c) => `${show(c.name)} (${c.node.path})`);
    return [`StorageClass ${show(this.name)} is marked default, and so is ${others.join(', ')}: an app may have exactly one default class (with two, Kubernetes picks one arbitrarily for claims without 'storageClassName'); keep 'isDefault: true' on one class only.`];
  }
}

/** A StorageClass that exists outside this app: only its name is known. */
class ImportedStorageClass extends Construct implements IStorageClass {
  constructor(scope: Construct, id: string, public readonly name: string) {
    super(scope, id);
    validateDns1123Subdomain(this, 'StorageClass name', name);
  }

  public checkVolumeSize(_sizeGiB: number): string[] {
    return [];
  }
}

/** A copy of `record` with its keys sorted, for byte-identical output. */
export function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
