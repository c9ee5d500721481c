import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { SecureDeployment, SecureDeploymentProps, WorkloadEnv } from '../lib';
import { CloudProfile, ShopConfig, ShopServiceConfig } from './config/shop-config';

/** Props of {@link ShopStack}. */
export interface ShopStackProps extends ChartProps {
  /** The environment. */
  readonly config: ShopConfig;
  /** The cloud it runs on. */
  readonly cloud: CloudProfile;
  /** The image tag of a release build, overriding the config's pinned tags. @default - the config's tags */
  readonly releaseTag?: string;
}

/**
 * The documented shop application in one namespace: frontend, user-, order- and
 * payment-service. Environments differ only by {@link ShopConfig}; clouds by {@link CloudProfile}.
 */
export class ShopStack extends Chart {
  public readonly frontend: SecureDeployment;
  public readonly userService: SecureDeployment;
  public readonly orderService: SecureDeployment;
  public readonly paymentService: SecureDeployment;

  constructor(scope: Construct, id: string, props: ShopStackProps) {
    const { config, cloud } = props;
    super(scope, id, { ...props, namespace: config.namespace, disableResourceNameHashes: true });
    const tag = props.releaseTag;
    const service = (name: keyof ShopConfig['services'], extra: Partial<SecureDeploymentProps>) =>
      new SecureDeployment(this, name, { ...this.serviceProps(config, cloud, config.services[name], tag), ...extra });

    this.frontend = service('frontend', { component: 'frontend' });
    this.userService = service('user-service', {
      component: 'api',
      ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }],
      env: {
        DATABASE_PASSWORD: WorkloadEnv.fromSecret('user-service-secrets', 'database-password'),
        JAEGER_AGENT_HOST: WorkloadEnv.fromField('status.hostIP'),
        LOG_LEVEL: WorkloadEnv.fromConfigMap('user-service-config', 'log-level'),
      },
      config: {
        data: { 'log-level': config.name === 'production' ? 'info' : 'debug' },
        files: { 'app.yaml': 'server:\n  port: 8080\n  grpcPort: 8081\n' },
      },
      secretMounts: [{ secretName: 'user-service-secrets', mountPath: '/etc/secrets' }],
      metrics: { port: 'http', path: '/metrics' },
    });
    this.orderService = service('order-service', { component: 'api' });
    this.paymentService = service('payment-service', { component: 'api' });
  }

  private serviceProps(config: ShopConfig, cloud: CloudProfile, svc: ShopServiceConfig, tag: string | undefined): SecureDeploymentProps {
    return {
      image: `${cloud.registry}/${svc.repository}:${tag ?? svc.tag}`,
      version: tag ?? svc.tag,
      partOf: 'shop',
      replicas: svc.autoscaling ? undefined : svc.replicas ?? config.replicas,
      autoscaling: svc.autoscaling,
      resources: svc.resources,
    };
  }
}
