import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Subdomain, validateInteger } from '../common/validation';

/** The highest value a user PriorityClass may have; above it the values are reserved for `system-*` classes. */
export const MAX_USER_PRIORITY = 1_000_000_000;

/** Props of {@link PriorityClass}. */
export interface PriorityClassProps {
  /** The class name, which pods give in `priorityClassName`. @default - the construct id */
  readonly name?: string;
  /** The priority: higher values schedule first and may preempt lower ones; at most 1e9. */
  readonly value: number;
  /** What the class is for, for whoever reads `kubectl get priorityclass`. */
  readonly description: string;
  /**
   * May pods of this class evict lower-priority pods to get scheduled? `Never` queues them ahead
   * instead. @default 'PreemptLowerPriority'
   */
  readonly preemptionPolicy?: 'PreemptLowerPriority' | 'Never';
  /**
   * Make it the class of pods that name none. At most one class in a cluster may be the global
   * default. @default false
   */
  readonly globalDefault?: boolean;
}

/**
 * A PriorityClass (`scheduling.k8s.io/v1`), cluster-scoped: build it in a chart without a
 * namespace (the cluster baseline), and pass its `name` to `priorityClassName` of the workloads.
 * The value is checked against the range Kubernetes leaves to users, and a description is required.
 */
export class PriorityClass extends Construct {
  /** The class name. */
  public readonly name: string;
  /** The priority value. */
  public readonly value: number;
  /** The PriorityClass object. */
  public readonly resource: k8s.KubePriorityClass;

  constructor(scope: Construct, id: string, props: PriorityClassProps) {
    super(scope, id);
    requireClusterScope(this, 'PriorityClass');
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, "'name'", this.name);
    if (this.name.startsWith('system-')) {
      fail(this, `'name' ${show(this.name)} starts with 'system-', which Kubernetes reserves for its own classes; choose another name (e.g. 'production-critical').`);
    }
    validateInteger(this, "'value'", props.value, -2147483648, MAX_USER_PRIORITY);
    if (props.description.trim() === '') fail(this, "'description' is empty; say which pods use the class and why (e.g. 'Production application pods: preempt staging under node pressure.').");
    if (props.preemptionPolicy !== undefined && !['PreemptLowerPriority', 'Never'].includes(props.preemptionPolicy)) {
      fail(this, `'preemptionPolicy' ${show(props.preemptionPolicy)} is not one Kubernetes knows: use 'PreemptLowerPriority' or 'Never'.`);
    }
    this.value = props.value;
    this.resource = new k8s.KubePriorityClass(this, 'Resource', {
      metadata: { name: this.name },
      value: props.value,
      globalDefault: props.globalDefault ?? false,
      preemptionPolicy: props.preemptionPolicy ?? 'PreemptLowerPriority',
      description: props.description,
    });
  }
}
