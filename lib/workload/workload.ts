import { IConstruct } from 'constructs';
import type { IRegistryPullSecret } from '../registry/registry-pull-secret';

/** A port a workload's pods listen on. */
export interface WorkloadPort {
  /** The port name (IANA service name, e.g. `http`). */
  readonly name: string;
  /** The container port number. */
  readonly number: number;
  /** The protocol. @default 'TCP' */
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * What other constructs need to know of a workload to route, select, monitor or isolate it:
 * implemented by `SecureDeployment` and by the stateful data services.
 */
export interface IWorkload extends IConstruct {
  /** The name of the workload's objects (Deployment/StatefulSet, Service, ServiceAccount). */
  readonly name: string;
  /** The namespace the workload is deployed to, when its chart sets one. */
  readonly namespace?: string;
  /** The labels that select this workload's pods; stable across releases. */
  readonly selectorLabels: Record<string, string>;
  /** All labels on the workload's pods. */
  readonly podLabels: Record<string, string>;
  /** The ports the workload's pods listen on, in declaration order. */
  readonly ports: readonly WorkloadPort[];
  /** The name of the ServiceAccount its pods run as. */
  readonly serviceAccountName: string;
  /** The name of the Service in front of the pods, when there is one. */
  readonly serviceName?: string;
  /** Finds a declared port by name or number; `undefined` when the workload does not expose it. */
  findPort(port: string | number): WorkloadPort | undefined;
}

/** A workload whose pods can be given pull secrets: `SecureDeployment` and the data services. */
export interface IPullSecretWorkload extends IWorkload {
  /** The pull secrets its pods name in `imagePullSecrets`, sorted. */
  readonly imagePullSecretNames: string[];
  /** Adds pull secrets to its pods (merged, without duplicates). */
  addImagePullSecrets(...secrets: (string | IRegistryPullSecret)[]): unknown;
}
