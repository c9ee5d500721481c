import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { selectorLabels, workloadLabels } from '../../lib/common/labels';
import { IWorkload, WorkloadPort } from '../../lib/workload/workload';

export interface FakeWorkloadOptions {
  readonly namespace?: string;
  readonly ports?: WorkloadPort[];
  /** Create a Service labelled like SecureDeployment does. @default true */
  readonly service?: boolean;
  /** Labels on the Service instead of the workload labels. */
  readonly serviceLabels?: Record<string, string>;
}

/** A stand-in for SecureDeployment in tests: implements IWorkload and labels its Service the same way. */
export class FakeWorkload extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[];
  public readonly serviceAccountName: string;
  public readonly serviceName?: string;
  public readonly service?: k8s.KubeService;

  constructor(scope: Construct, name: string, options: FakeWorkloadOptions = {}) {
    super(scope, name);
    this.name = name;
    this.namespace = options.namespace;
    this.selectorLabels = selectorLabels(name);
    this.podLabels = workloadLabels({ name, version: 'v1.0.0', component: 'backend' });
    this.ports = options.ports ?? [{ name: 'http', number: 8080, protocol: 'TCP' }, { name: 'grpc', number: 8081, protocol: 'TCP' }];
    this.serviceAccountName = name;
    if (options.service ?? true) {
      this.serviceName = name;
      this.service = new k8s.KubeService(this, 'Service', {
        metadata: { name, namespace: options.namespace, labels: options.serviceLabels ?? this.podLabels },
        spec: {
          selector: this.selectorLabels,
          ports: this.ports.map((p) => ({ name: p.name, port: p.number, targetPort: k8s.IntOrString.fromString(p.name) })),
        },
      });
    }
  }

  public findPort(port: string | number): WorkloadPort | undefined {
    return this.ports.find((p) => p.name === port || p.number === port);
  }
}
