import { Duration, Size } from 'cdk8s';
import { IRegistryPullSecret } from '../registry/registry-pull-secret';
import { LoadBalancerPreset } from './load-balancer-preset';
import { WorkloadEnv } from './workload-env';
import { WorkloadProbe } from './workload-probe';

/** A port the main container listens on. */
export interface ContainerPortProps {
  /** The port name (IANA service name: at most 15 lowercase letters, digits and '-'). */
  readonly name: string;
  /** The port number, 1-65535. */
  readonly number: number;
  /** The protocol. @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  /**
   * The port the Service exposes for it, when it differs from the container port (e.g. 80 in
   * front of a container listening on 8080). @default - the container port
   */
  readonly servicePort?: number;
}

/** CPU, memory and ephemeral storage, as Kubernetes quantities (`250m`, `1`, `256Mi`, `1Gi`). */
export interface ResourceQuantities {
  /** CPU. @default - see {@link WorkloadResources} */
  readonly cpu?: string;
  /** Memory. @default - see {@link WorkloadResources} */
  readonly memory?: string;
  /**
   * Node-local disk: the container's logs and writable layer plus the pod's emptyDir volumes
   * (the `/tmp` volume). Without a limit one pod can fill a node's disk and get its neighbours
   * evicted. @default - see {@link WorkloadResources}
   */
  readonly ephemeralStorage?: string;
}

/**
 * Requests and limits of the main container. Both are always emitted: a pod without them is
 * scheduled blindly and can starve its neighbours. Limits must be at least the requests.
 */
export interface WorkloadResources {
  /** What the scheduler reserves. @default { cpu: '250m', memory: '256Mi', ephemeralStorage: '64Mi' } */
  readonly requests?: ResourceQuantities;
  /**
   * The most the container may use. The ephemeral-storage limit must hold `/tmp`.
   * @default { cpu: '500m', memory: '512Mi', ephemeralStorage: <tmpSize + 192Mi> } (256Mi with the
   * default 64Mi `/tmp`: 192Mi leaves room for container logs, which the kubelet rotates at 5 x 10Mi)
   */
  readonly limits?: ResourceQuantities;
}

/** The main container's probes; each can be replaced or turned off with a reason. */
export interface WorkloadProbes {
  /** Restarts a container that stopped answering. @default WorkloadProbe.http('/health') on the main port, every 10s */
  readonly liveness?: WorkloadProbe;
  /** Takes a pod out of the Service while it cannot serve. @default WorkloadProbe.http('/ready') on the main port, every 5s */
  readonly readiness?: WorkloadProbe;
  /** Holds the other probes back while the app starts. @default WorkloadProbe.http('/startup') on the main port, up to 150s */
  readonly startup?: WorkloadProbe;
}

/** A ConfigMap mounted read-only into the main container. */
export interface ConfigMapMount {
  /** The name of an existing ConfigMap. */
  readonly configMapName: string;
  /** Where to mount it (an absolute path). */
  readonly mountPath: string;
}

/** A Secret mounted read-only into the main container. */
export interface SecretMount {
  /** The name of an existing Secret (for instance one an ExternalSecret writes). */
  readonly secretName: string;
  /** Where to mount it (an absolute path). */
  readonly mountPath: string;
}

/** Environment variables taken whole from existing ConfigMaps and Secrets (`envFrom`). */
export interface EnvFromSources {
  /** ConfigMaps whose every key becomes a variable. @default [] */
  readonly configMaps?: string[];
  /** Secrets whose every key becomes a variable. @default [] */
  readonly secrets?: string[];
}

/** The workload's own ConfigMap, named `<name>-config`. */
export interface WorkloadConfigProps {
  /**
   * Key/values, exposed to the container as environment variables, one `configMapKeyRef` per
   * key (never `envFrom` of the whole map, so file entries are never exported). Every key must
   * be a valid environment variable name (e.g. `LOG_LEVEL`) unless `envKeys` lists the keys to
   * export; the others then stay in the ConfigMap only (read them with `WorkloadEnv.fromConfigMap`).
   * @default {}
   */
  readonly data?: Record<string, string>;
  /**
   * The keys of `data` exported as environment variables (each a valid env name).
   * @default - every key of `data`
   */
  readonly envKeys?: string[];
  /** Whole files (`app.yaml`: its text), mounted read-only at `mountPath`. @default {} */
  readonly files?: Record<string, string>;
  /** Where the files are mounted. @default '/etc/config' */
  readonly mountPath?: string;
}

/** The dedicated ServiceAccount every workload gets, named like the workload. */
export interface WorkloadServiceAccountProps {
  /**
   * Mount the API token into pods. Off: most apps never call the API server, and a mounted
   * token is the first thing an attacker uses. @default false
   */
  readonly automountToken?: boolean;
  /** AWS IRSA: the IAM role ARN pods assume (`eks.amazonaws.com/role-arn`). @default - none */
  readonly awsRoleArn?: string;
  /** Alibaba Cloud ACK RRSA: the RAM role name pods assume (`pod-identity.alibabacloud.com/role-name`). @default - none */
  readonly alibabaRamRoleName?: string;
  /** More annotations. @default {} */
  readonly annotations?: Record<string, string>;
}

/** The Service in front of the pods, named like the workload. */
export interface WorkloadServiceProps {
  /** The Service type. @default 'ClusterIP' */
  readonly type?: 'ClusterIP' | 'LoadBalancer';
  /** For `LoadBalancer`: the cloud preset that keeps it internal. @default - required for LoadBalancer unless `internetFacingReason` is set */
  readonly loadBalancer?: LoadBalancerPreset;
  /** For `LoadBalancer` without a preset: why this service must face the internet. @default - none */
  readonly internetFacingReason?: string;
  /** The names of the container ports to expose. @default - every declared port */
  readonly ports?: string[];
  /** More annotations. @default {} */
  readonly annotations?: Record<string, string>;
}

/** A HorizontalPodAutoscaler (`autoscaling/v2`); the Deployment then leaves `replicas` to it. */
export interface WorkloadAutoscalingProps {
  /** The fewest replicas, at least 1. */
  readonly minReplicas: number;
  /** The most replicas, at least `minReplicas`. */
  readonly maxReplicas: number;
  /** Target average CPU use, in percent of the request (1-100). @default 70 */
  readonly cpuUtilizationPercent?: number;
  /**
   * Target average memory use, in percent of the request (1-100), or `false` to scale on CPU
   * only (the HPA of document 000). @default 80
   */
  readonly memoryUtilizationPercent?: number | false;
}

/** The PodDisruptionBudget. Give one of the two fields. */
export interface WorkloadDisruptionBudgetProps {
  /** Pods that may be down at once during voluntary disruptions. @default 1 */
  readonly maxUnavailable?: number | string;
  /** Pods that must stay up; use instead of `maxUnavailable`. @default - none */
  readonly minAvailable?: number | string;
  /**
   * Whether a running pod that is not Ready may be evicted while the budget is exhausted.
   * `AlwaysAllow` lets a node drain evict crash-looping or stuck pods (they serve nothing), so a
   * broken rollout cannot block node maintenance; Ready pods stay protected by the budget.
   * `IfHealthyBudget` is Kubernetes' own default. @default 'AlwaysAllow'
   */
  readonly unhealthyPodEvictionPolicy?: 'AlwaysAllow' | 'IfHealthyBudget';
}

/** A volume mounted into the main container. Give exactly one source. */
export interface WorkloadVolumeMount {
  /** The volume name (a DNS-1123 label, unique in the pod). */
  readonly name: string;
  /** Where to mount it (an absolute path). */
  readonly mountPath: string;
  /** Mount read-only. @default - true, except for `emptyDir` */
  readonly readOnly?: boolean;
  /** An existing PersistentVolumeClaim of the namespace. @default - none */
  readonly persistentVolumeClaim?: { readonly claimName: string };
  /** A scratch directory, size-limited (counts against the ephemeral-storage limit). @default - none */
  readonly emptyDir?: { readonly sizeLimit: Size; readonly medium?: 'Memory' };
}

/** Node labels the pods must (or should) run on, as node affinity. */
export interface WorkloadNodeAffinity {
  /** Each label key must have one of the values (`In`). @default {} */
  readonly required?: Record<string, string[]>;
  /** Preferred labels, each with a weight 1-100. @default [] */
  readonly preferred?: { readonly key: string; readonly values: string[]; readonly weight: number }[];
}

/** How pods are spread when the workload can run more than one. */
export interface WorkloadSpreadProps {
  /** The weight of the preferred pod anti-affinity, 1-100. @default 100 */
  readonly antiAffinityWeight?: number;
  /** The topology key of the anti-affinity. @default 'kubernetes.io/hostname' */
  readonly antiAffinityTopologyKey?: string;
  /** The topology key of the topology spread constraint. @default 'topology.kubernetes.io/zone' */
  readonly zoneTopologyKey?: string;
}

/** A toleration of a node taint. */
export interface WorkloadToleration {
  /** The taint key; leave out with `operator: 'Exists'` to tolerate every taint. @default - none */
  readonly key?: string;
  /** How the value is compared. @default 'Equal' */
  readonly operator?: 'Equal' | 'Exists';
  /** The taint value, for `Equal`. @default - none */
  readonly value?: string;
  /** The taint effect tolerated. @default - every effect */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  /** For `NoExecute`: how long the pod stays on a tainted node. @default - forever */
  readonly tolerationSeconds?: number;
}

/**
 * The pod's identity and the escape hatches from the restricted profile. Every escape hatch
 * needs `unsafeReason`, which is written to the pod template for reviewers.
 */
export interface WorkloadSecurityProps {
  /** The user the containers run as; 0 (root) needs `unsafeReason`. @default 1001 */
  readonly runAsUser?: number;
  /** The primary group. @default 1001 */
  readonly runAsGroup?: number;
  /** The group that owns mounted volumes. @default 1001 */
  readonly fsGroup?: number;
  /** Capabilities added back after dropping ALL; anything but NET_BIND_SERVICE needs `unsafeReason`. @default [] */
  readonly addCapabilities?: string[];
  /** Let the container write to its root filesystem; needs `unsafeReason`. @default false */
  readonly writableRootFilesystem?: boolean;
  /** Run privileged; needs `unsafeReason`. @default false */
  readonly privileged?: boolean;
  /** Use the node's network namespace; needs `unsafeReason`. @default false */
  readonly hostNetwork?: boolean;
  /** Use the node's PID namespace; needs `unsafeReason`. @default false */
  readonly hostPID?: boolean;
  /** Use the node's IPC namespace; needs `unsafeReason`. @default false */
  readonly hostIPC?: boolean;
  /** Why this workload may leave the restricted profile. @default - none: every escape hatch throws */
  readonly unsafeReason?: string;
}

/** Prometheus scraping of the main container. */
export interface WorkloadMetricsProps {
  /** The port serving metrics, by name or number. @default - the main (first) port */
  readonly port?: string | number;
  /** The HTTP path. @default '/metrics' */
  readonly path?: string;
  /** How often to scrape (used by monitors). @default Duration.seconds(30) */
  readonly interval?: Duration;
}

/** Props of {@link SecureDeployment}. */
export interface SecureDeploymentProps {
  /** The name of the Deployment, Service, ServiceAccount, PDB and HPA (a DNS-1123 label). @default - the construct id */
  readonly name?: string;
  /** The image, pinned by tag or digest; `latest` and untagged images are refused. */
  readonly image: string;
  /** When the kubelet pulls the image. `Always` checks the pull credentials on every start. @default 'Always' */
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /**
   * How the image is pulled: the pull secrets (by name, or `RegistryPullSecret` objects) the pod
   * names in `imagePullSecrets`. Also see `AcrCredentialHelper` `workloads` and
   * `DefaultServiceAccount` `workloads`, and the whole-app pull-path check.
   * @default []
   */
  readonly imagePullSecrets?: (string | IRegistryPullSecret)[];
  /** The `version` label. @default - the image tag */
  readonly version?: string;
  /** The `component` label. @default 'backend' */
  readonly component?: string;
  /** The `app.kubernetes.io/part-of` label. @default - none */
  readonly partOf?: string;
  /** Container arguments. @default - the image's */
  readonly args?: string[];
  /** Container command. @default - the image's entrypoint */
  readonly command?: string[];
  /** Ports the container listens on; the first is the main port. @default [{ name: 'http', number: 8080 }] */
  readonly ports?: ContainerPortProps[];
  /** Environment variables. @default {} */
  readonly env?: Record<string, WorkloadEnv>;
  /** Environment from whole ConfigMaps and Secrets. @default - none */
  readonly envFrom?: EnvFromSources;
  /** Existing ConfigMaps to mount read-only. @default [] */
  readonly configMapMounts?: ConfigMapMount[];
  /** Existing Secrets to mount read-only. @default [] */
  readonly secretMounts?: SecretMount[];
  /** The workload's own ConfigMap. @default - none */
  readonly config?: WorkloadConfigProps;
  /** The size of the writable `/tmp` (an emptyDir: the root filesystem is read-only). @default Size.mebibytes(64) */
  readonly tmpSize?: Size;
  /** Requests and limits. @default - 250m/256Mi requests, 500m/512Mi limits */
  readonly resources?: WorkloadResources;
  /** Probes. @default - HTTP /health, /ready and /startup on the main port */
  readonly probes?: WorkloadProbes;
  /** Identity and escape hatches. @default - uid/gid/fsGroup 1001, restricted profile */
  readonly security?: WorkloadSecurityProps;
  /** The ServiceAccount. @default - a dedicated account with no token mounted */
  readonly serviceAccount?: WorkloadServiceAccountProps;
  /** Prometheus scraping. @default - no scraping annotations */
  readonly metrics?: WorkloadMetricsProps;
  /** The number of pods; conflicts with `autoscaling`. @default 2 */
  readonly replicas?: number;
  /** The rolling update. @default { maxSurge: 1, maxUnavailable: 0 } */
  readonly rollingUpdate?: { readonly maxSurge?: number | string; readonly maxUnavailable?: number | string };
  /** Node labels pods must run on. @default {} */
  readonly nodeSelector?: Record<string, string>;
  /** Node affinity (required and preferred node labels). @default - none */
  readonly nodeAffinity?: WorkloadNodeAffinity;
  /** More pod template annotations (the library's own keys are refused). @default {} */
  readonly podAnnotations?: Record<string, string>;
  /** More volumes mounted into the main container (PersistentVolumeClaims, emptyDirs). @default [] */
  readonly volumes?: WorkloadVolumeMount[];
  /** Node taints pods tolerate. @default [] */
  readonly tolerations?: WorkloadToleration[];
  /** The PriorityClass. @default - the cluster default */
  readonly priorityClassName?: string;
  /** How long pods get to shut down. @default Duration.seconds(30) */
  readonly terminationGracePeriod?: Duration;
  /**
   * Spread pods over nodes (preferred anti-affinity) and zones (topology spread) whenever the
   * workload can run several (replicas or `autoscaling.maxReplicas` above 1); `false` for none,
   * or the weight and topology keys. @default true
   */
  readonly spread?: boolean | WorkloadSpreadProps;
  /** The Service, or `false` for none. @default - a ClusterIP Service on every port */
  readonly service?: WorkloadServiceProps | false;
  /** A HorizontalPodAutoscaler. @default - none: a fixed number of replicas */
  readonly autoscaling?: WorkloadAutoscalingProps;
  /** The PodDisruptionBudget, or `false` for none. @default - maxUnavailable 1 when the workload can run more than one replica (`replicas` or `autoscaling.maxReplicas`) */
  readonly disruptionBudget?: WorkloadDisruptionBudgetProps | false;
}
