import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { selectorLabels as defaultSelectorLabels } from '../common/labels';
import { validateDns1123Label, validateLabels, validatePortName, validatePortNumber } from '../common/validation';
import { IWorkload, WorkloadPort } from '../workload/workload';

/** What is known of a workload deployed by someone else. */
export interface ExistingWorkloadAttributes {
  /** Its name (Deployment/StatefulSet, Service, ServiceAccount). */
  readonly name: string;
  /** Its namespace. @default - the namespace of the scope's chart */
  readonly namespace?: string;
  /** The labels that select its pods. @default { app: name } */
  readonly selectorLabels?: Record<string, string>;
  /** The ports its pods listen on. @default - none (it can still be a flow's source) */
  readonly ports?: readonly { readonly name: string; readonly number: number; readonly protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  /** Its ServiceAccount. @default - the name */
  readonly serviceAccountName?: string;
  /** Its Service. @default - the name */
  readonly serviceName?: string;
}

/**
 * A workload that this app does not deploy (another team's frontend, a managed database's
 * in-cluster proxy), described by its labels and ports so flows can name it. It emits nothing,
 * and flows with it open only this app's end unless `bothEnds: true` is passed.
 */
export class ExistingWorkload extends Construct implements IWorkload {
  /** Describes an existing workload; `id` must be unique within `scope`. */
  public static fromAttributes(scope: Construct, id: string, attributes: ExistingWorkloadAttributes): IWorkload {
    return new ExistingWorkload(scope, id, attributes);
  }

  public readonly name: string;
  public readonly namespace?: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[];
  public readonly serviceAccountName: string;
  public readonly serviceName?: string;

  private constructor(scope: Construct, id: string, attributes: ExistingWorkloadAttributes) {
    super(scope, id);
    validateDns1123Label(this, 'name', attributes.name);
    this.name = attributes.name;
    this.namespace = attributes.namespace ?? Chart.of(this).namespace;
    if (this.namespace !== undefined) validateDns1123Label(this, 'namespace', this.namespace);
    this.selectorLabels = { ...(attributes.selectorLabels ?? defaultSelectorLabels(attributes.name)) };
    validateLabels(this, 'selectorLabels', this.selectorLabels);
    if (Object.keys(this.selectorLabels).length === 0) {
      fail(this, `selectorLabels is empty, which would select every pod of the namespace: give the labels of ${show(this.name)}'s pods (e.g. { app: '${this.name}' }).`);
    }
    this.podLabels = { ...this.selectorLabels };
    this.ports = (attributes.ports ?? []).map((p) => {
      validatePortName(this, 'port name', p.name);
      validatePortNumber(this, `port ${show(p.name)} number`, p.number);
      return { name: p.name, number: p.number, protocol: p.protocol ?? 'TCP' };
    });
    this.serviceAccountName = attributes.serviceAccountName ?? attributes.name;
    this.serviceName = attributes.serviceName ?? attributes.name;
  }

  public findPort(port: string | number): WorkloadPort | undefined {
    return this.ports.find((p) => (typeof port === 'number' ? p.number === port : p.name === port));
  }
}
