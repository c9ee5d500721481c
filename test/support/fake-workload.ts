import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { IWorkload, WorkloadPort } from '../../lib/workload/workload';

export interface FakeWorkloadProps {
  readonly ports?: readonly { name: string; number: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  readonly labels?: Record<string, string>;
  readonly selectorLabels?: Record<string, string>;
}

/** A minimal IWorkload for tests: a Deployment whose pod template carries the labels and ports. */
export class FakeWorkload extends Construct implements IWorkload {
  public readonly name: string;
  public readonly namespace?: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[];
  public readonly serviceAccountName: string;
  public readonly serviceName?: string;

  constructor(scope: Construct, id: string, props: FakeWorkloadProps = {}) {
    super(scope, id);
    this.name = id;
    this.namespace = Chart.of(this).namespace;
    this.selectorLabels = props.selectorLabels ?? { app: id };
    this.podLabels = { ...this.selectorLabels, ...(props.labels ?? {}) };
    this.ports = (props.ports ?? [{ name: 'http', number: 8080 }]).map((p) => ({ protocol: 'TCP', ...p }));
    this.serviceAccountName = id;
    this.serviceName = id;
    new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: id },
      spec: {
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels: this.podLabels },
          spec: {
            serviceAccountName: id,
            containers: [{
              name: 'main',
              image: `example.com/${id}:1.0.0`,
              ports: this.ports.map((p) => ({ name: p.name, containerPort: p.number, protocol: p.protocol })),
            }],
          },
        },
      },
    });
  }

  public findPort(port: string | number): WorkloadPort | undefined {
    return this.ports.find((p) => (typeof port === 'number' ? p.number === port : p.name === port));
  }
}

/** The documented shop: frontend, user-service, Postgres and Redis in one chart. */
export function documentedServices(chart: Chart) {
  const frontend = new FakeWorkload(chart, 'frontend');
  const userService = new FakeWorkload(chart, 'user-service', {
    ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }],
  });
  const postgres = new FakeWorkload(chart, 'postgres', { ports: [{ name: 'postgres', number: 5432 }] });
  const redis = new FakeWorkload(chart, 'redis', { ports: [{ name: 'redis', number: 6379 }] });
  return { frontend, userService, postgres, redis };
}
