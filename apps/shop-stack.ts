import { Chart, ChartProps } from 'cdk8s';
import { Construct } from 'constructs';
import { IStorageClass, SecureDeployment, SecureDeploymentProps, WorkloadEnv, WorkloadNetworkPolicy } from '../lib';
import { CloudProfile, ShopConfig, ShopServiceConfig } from './config/shop-config';
import { addShopEdge } from './parts/edge';
import { addDataServiceFlows, addProductionNamespace, addUserServiceFlows } from './parts/network';
import { addObservability } from './parts/observability';
import { addDataServices, DataServices } from './parts/storage';

/** Where the ingress-nginx controller runs; it is the only way in from outside the namespace. */
export const INGRESS_NAMESPACE = 'ingress-nginx';
/** The labels of the ingress-nginx controller pods (the official chart's). */
export const INGRESS_CONTROLLER_LABELS = { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' };
/** Where Prometheus runs; it scrapes every service's metrics port. */
export const MONITORING_NAMESPACE = 'monitoring';
/** The labels of the Prometheus pods (kube-prometheus-stack's). */
export const PROMETHEUS_LABELS = { 'app.kubernetes.io/name': 'prometheus' };

/** Props of {@link ShopStack}. */
export interface ShopStackProps extends ChartProps {
  /** The environment. */
  readonly config: ShopConfig;
  /** The cloud it runs on. */
  readonly cloud: CloudProfile;
  /** The class of the data volumes, so their sizes are checked against its limits. @default - the class named 'fast-ssd' */
  readonly storageClass?: IStorageClass;
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
  public readonly data: DataServices;

  constructor(scope: Construct, id: string, props: ShopStackProps) {
    const { config, cloud } = props;
    super(scope, id, { ...props, namespace: config.namespace, disableResourceNameHashes: true });
    const tag = props.releaseTag;
    const service = (name: keyof ShopConfig['services'], extra: Partial<SecureDeploymentProps>) =>
      new SecureDeployment(this, name, { ...this.serviceProps(config, cloud, config.services[name], tag), ...extra });

    this.frontend = service('frontend', { component: 'frontend', metrics: {} });
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
        // 'log-level' reaches the app as LOG_LEVEL through `env`; no key is exported whole.
        envKeys: [],
      },
      secretMounts: [{ secretName: 'user-service-secrets', mountPath: '/etc/secrets' }],
      metrics: { port: 'http', path: '/metrics' },
    });
    this.orderService = service('order-service', { component: 'api', metrics: {} });
    this.paymentService = service('payment-service', { component: 'api', metrics: {} });
    const services = [this.frontend, this.userService, this.orderService, this.paymentService];

    // The restricted namespace: PSS labels, quota, limit range, default-deny and DNS.
    addProductionNamespace(this);

    // Postgres and Redis on the cluster baseline's encrypted `fast-ssd` class, for user-service.
    this.data = addDataServices(this, { clients: [this.userService], storageClass: props.storageClass, priorityClassName: config.priorityClassName });
    // Exactly the documented flows: frontend -> user-service:8080 -> Postgres 5432, Redis 6379, DNS.
    // The edge's Ingress opens the ingress controller to each backend's http port, and the
    // monitors open Prometheus to each metrics port (the namespace is default-deny by then).
    addUserServiceFlows(this.userService, { frontend: this.frontend, postgres: this.data.postgres, redis: this.data.redis });
    addDataServiceFlows(this.data.postgres).allowToDns();
    addDataServiceFlows(this.data.redis).allowToDns();
    for (const svc of services) {
      // Each workload's own policy states its egress too (DNS at least), so it reads complete
      // on its own; the namespace's allow-dns policy stays as the baseline for every pod.
      WorkloadNetworkPolicy.of(svc).allowToDns();
    }
    // Ingress, TLS, pull credentials and user-service-secrets from the secret store.
    addShopEdge(this, this, {
      cloud: cloud.cloud, hosts: config.hosts,
      ingressController: { namespace: INGRESS_NAMESPACE, podLabels: INGRESS_CONTROLLER_LABELS },
    });
    // ServiceMonitors and alert rules for every service; the log sidecar on user-service.
    addObservability(this, services, {
      logSidecarFor: 'user-service',
      clusterRules: config.name === 'production',
      prometheus: { namespace: MONITORING_NAMESPACE, podLabels: PROMETHEUS_LABELS },
    });
  }

  private serviceProps(config: ShopConfig, cloud: CloudProfile, svc: ShopServiceConfig, tag: string | undefined): SecureDeploymentProps {
    return {
      image: `${cloud.registry}/${svc.repository}:${tag ?? svc.tag}`,
      version: tag ?? svc.tag,
      partOf: 'shop',
      replicas: svc.autoscaling ? undefined : svc.replicas ?? config.replicas,
      autoscaling: svc.autoscaling,
      resources: svc.resources,
      priorityClassName: config.priorityClassName,
    };
  }
}
