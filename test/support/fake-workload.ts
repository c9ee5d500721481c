import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { IWorkload, WorkloadPort } from '../../lib/workload/workload';

export interface FakeWorkloadProps {
  /** The container ports; a port without protocol is TCP. @default [{ name: 'http', number: 8080 }] */
  readonly ports?: readonly { name: string; number: number; protocol?: 'TCP' | 'UDP' | 'SCTP' }[];
  /** The namespace the workload reports. @default - the namespace of its chart */
  readonly namespace?: string;
  /** Pod labels beyond the selector labels. @default {} */
  readonly labels?: Record<string, string>;
  /** The selector labels. @default { app: <name> } */
  readonly selectorLabels?: Record<string, string>;
  /** Whether the workload has a Service (named like it, exposing every port by name). @default true */
  readonly service?: boolean;
  /** Labels on the Service. @default - the pod labels */
  readonly serviceLabels?: Record<string, string>;
  /** Whether the workload has a HorizontalPodAutoscaler (as SecureDeployment `autoscaling`), for its alert. @default false */
  readonly autoscaled?: boolean;
}

/**
 * The one IWorkload stand-in for tests: a Deployment whose pod template carries the labels and
 * ports, and (unless `service: false`) a Service selecting it, shaped like SecureDeployment's.
 * Its construct id is its name.
 */
export class FakeWorkload extends Construct implements IWorkload {
  /** The fake named `name` in `scope`, created on first use. */
  public static of(scope: Construct, name: string, props: FakeWorkloadProps = {}): FakeWorkload {
    return (scope.node.tryFindChild(name) as FakeWorkload | undefined) ?? new FakeWorkload(scope, name, props);
  }

  public readonly name: string;
  public readonly namespace?: string;
  public readonly selectorLabels: Record<string, string>;
  public readonly podLabels: Record<string, string>;
  public readonly ports: readonly WorkloadPort[];
  public readonly serviceAccountName: string;
  public readonly serviceName?: string;
  public readonly service?: k8s.KubeService;
  /** Stands for SecureDeployment's autoscaler when `autoscaled` is set. */
  public readonly autoscaler?: object;

  constructor(scope: Construct, name: string, props: FakeWorkloadProps = {}) {
    super(scope, name);
    this.name = name;
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.selectorLabels = props.selectorLabels ?? { app: name };
    this.podLabels = { ...this.selectorLabels, ...(props.labels ?? {}) };
    this.ports = (props.ports ?? [{ name: 'http', number: 8080 }]).map((p) => ({ protocol: 'TCP', ...p }));
    this.serviceAccountName = name;
    if (props.autoscaled) this.autoscaler = {};
    new ApiObject(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: this.namespace },
      spec: {
        selector: { matchLabels: this.selectorLabels },
        template: {
          metadata: { labels: this.podLabels },
          spec: {
            serviceAccountName: name,
            containers: [{
              name: 'main',
              image: `example.com/${name}:1.0.0`,
              ports: this.ports.map((p) => ({ name: p.name, containerPort: p.number, protocol: p.protocol })),
            }],
          },
        },
      },
    });
    if (props.service ?? true) {
      this.serviceName = name;
      this.service = new k8s.KubeService(this, 'Service', {
        metadata: { name, namespace: this.namespace, labels: props.serviceLabels ?? this.podLabels },
        spec: {
          selector: this.selectorLabels,
          ports: this.ports.map((p) => ({ name: p.name, port: p.number, protocol: p.protocol, targetPort: k8s.IntOrString.fromString(p.name) })),
        },
      });
    }
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
