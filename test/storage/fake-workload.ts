import { Construct } from 'constructs';
import { IWorkload, WorkloadPort } from '../../lib/workload/workload';

/** A minimal IWorkload for tests that only need something to name as a client. */
export class FakeWorkload extends Construct implements IWorkload {
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[] = [{ name: 'http', number: 8080, protocol: 'TCP' }];
  public readonly serviceAccountName: string;
  public readonly namespace = 'production';

  constructor(scope: Construct, public readonly name: string) {
    super(scope, name);
    this.selectorLabels = { app: name };
    this.podLabels = { app: name };
    this.serviceAccountName = name;
  }

  public findPort(port: string | number): WorkloadPort | undefined {
    return this.ports.find((p) => p.name === port || p.number === port);
  }
}
