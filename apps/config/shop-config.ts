import { KubernetesVersion } from '../../lib/common/kubernetes-version';

/** The clouds the bundled stacks render for. */
export type Cloud = 'aws' | 'alibaba';

/** One service of the shop application. */
export interface ShopServiceConfig {
  /** The image repository, without registry or tag (e.g. 'user-service'). */
  readonly repository: string;
  /** The pinned tag used when no release tag is given at synth time. */
  readonly tag: string;
  /** A fixed replica count; conflicts with `autoscaling`. @default - the environment's `replicas` */
  readonly replicas?: number;
  /** An autoscaler range instead of a fixed count. @default - none */
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number };
  /** Requests and limits. @default - the SecureDeployment defaults */
  readonly resources?: {
    readonly requests?: { readonly cpu?: string; readonly memory?: string };
    readonly limits?: { readonly cpu?: string; readonly memory?: string };
  };
}

/** Everything that differs between environments of the shop application. */
export interface ShopConfig {
  /** The environment name: names the output folder `dist/<cloud>/<name>/`. */
  readonly name: 'staging' | 'production';
  /** The namespace the application runs in. */
  readonly namespace: string;
  /** Replicas of every service without its own count or autoscaler. */
  readonly replicas: number;
  /** The PriorityClass of every pod of the environment (one of {@link SHOP_PRIORITY_CLASSES}). */
  readonly priorityClassName: string;
  /** Public host names of the edge. */
  readonly hosts: { readonly api: string; readonly app: string };
  /** The services, by name. */
  readonly services: {
    readonly 'frontend': ShopServiceConfig;
    readonly 'user-service': ShopServiceConfig;
    readonly 'order-service': ShopServiceConfig;
    readonly 'payment-service': ShopServiceConfig;
  };
}

/** What differs between clouds. */
export interface CloudProfile {
  /** The cloud. */
  readonly cloud: Cloud;
  /** The registry host and path prefix images are pulled from. */
  readonly registry: string;
  /**
   * The Kubernetes minor of the cloud's cluster: pins the namespaces' Pod Security Standards
   * version and the ValidatingAdmissionPolicy API version. The vendored add-on CRDs (crds/) need
   * 1.30+ (see docs/conformance.md, "Target Kubernetes version").
   */
  readonly kubernetesVersion: KubernetesVersion;
  /** The AWS KMS key ARN encrypting the `fast-ssd` class. @default - none (required on AWS) */
  readonly awsKmsKeyArn?: string;
}

/**
 * The minor the bundled clusters run: the newest the Go module proxy serves (v1.37.2), which
 * `npm run test:cluster` runs a real API server of. Upstream supports the three newest minors.
 */
export const BUNDLED_KUBERNETES_VERSION: KubernetesVersion = '1.37';

/** The clouds' profiles. */
export const CLOUDS: Record<Cloud, CloudProfile> = {
  aws: {
    cloud: 'aws',
    registry: 'myregistry.com',
    kubernetesVersion: BUNDLED_KUBERNETES_VERSION,
    awsKmsKeyArn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  },
  alibaba: { cloud: 'alibaba', registry: 'registry.cn-hangzhou.aliyuncs.com/shop', kubernetesVersion: BUNDLED_KUBERNETES_VERSION },
};

/**
 * The PriorityClasses the cluster baseline creates: under node pressure the scheduler preempts
 * staging pods before production ones. Values stay far below the system classes (2e9).
 */
export const SHOP_PRIORITY_CLASSES: readonly { readonly name: string; readonly value: number; readonly description: string }[] = [
  { name: 'production-critical', value: 100000, description: 'Production application pods: preempt staging under node pressure.' },
  { name: 'staging-standard', value: 10000, description: 'Staging application pods: preempted before production.' },
];
