import { Construct } from 'constructs';
import { IWorkload, WorkloadPort } from '../../lib/workload/workload';

/** A minimal IWorkload for tests, until SecureDeployment lands. */
export class FakeWorkload extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[];
  public readonly serviceAccountName: string;
  public readonly serviceName?: string;

  /** The fake named `name` in `scope`, created on first use. */
  public static of(scope: Construct, name: string, options: { ports?: WorkloadPort[]; service?: boolean } = {}): FakeWorkload {
    return (scope.node.tryFindChild(`fake-${name}`) as FakeWorkload | undefined) ?? new FakeWorkload(scope, name, options);
  }

  constructor(scope: Construct, name: string, options: { ports?: WorkloadPort[]; service?: boolean } = {}) {
    super(scope, `fake-${name}`);
    this.name = name;
    this.selectorLabels = { app: name };
    this.podLabels = { app: name };
    this.ports = options.ports ?? [{ name: 'http', number: 8080, protocol: 'TCP' }];
    this.serviceAccountName = name;
    this.serviceName = (options.service ?? true) ? name : undefined;
  }

  public findPort(port: string | number): WorkloadPort | undefined {
    return this.ports.find((p) => p.name === port || p.number === port);
  }
}
