import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { SecureDeployment, WorkloadEnv } from '../lib';

/** What differs between environments of the user-service stack. */
export interface UserServiceStackConfig {
  /** The environment name; it names the chart and so the output file. */
  readonly name: string;
  /** The namespace everything is deployed to. */
  readonly namespace: string;
  /** The user-service image, pinned by tag or digest. */
  readonly image: string;
  /** The autoscaler's range. */
  readonly autoscaling: { readonly minReplicas: number; readonly maxReplicas: number };
}

/**
 * The documented `user-service` microservice: HTTP 8080 and gRPC 8081, configuration from its
 * own ConfigMap, credentials from the `user-service-secrets` Secret, the node IP for the
 * tracing agent, and 3-10 replicas under an autoscaler.
 */
export class UserServiceStack extends Chart {
  public readonly userService: SecureDeployment;

  constructor(scope: Construct, id: string, config: UserServiceStackConfig, props: ChartProps = {}) {
    super(scope, id, { ...props, namespace: config.namespace, disableResourceNameHashes: true });
    this.userService = new SecureDeployment(this, 'user-service', {
      image: config.image,
      component: 'api',
      partOf: 'shop',
      ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }],
      env: {
        DATABASE_PASSWORD: WorkloadEnv.fromSecret('user-service-secrets', 'database-password'),
        JAEGER_AGENT_HOST: WorkloadEnv.fromField('status.hostIP'),
        LOG_LEVEL: WorkloadEnv.fromConfigMap('user-service-config', 'log-level'),
      },
      config: {
        data: { 'log-level': 'info' },
        files: { 'app.yaml': 'server:\n  port: 8080\n  grpcPort: 8081\n' },
      },
      secretMounts: [{ secretName: 'user-service-secrets', mountPath: '/etc/secrets' }],
      metrics: { port: 'http', path: '/metrics' },
      autoscaling: config.autoscaling,
    });
  }
}
