// Public API of the workload concern. Image-reference parsing stays internal.
export type { IWorkload, WorkloadPort } from './workload';
export { SecureDeployment } from './secure-deployment';
export type {
  SecureDeploymentProps, ContainerPortProps, WorkloadResources, ResourceQuantities, WorkloadProbes, WorkloadSecurityProps,
  WorkloadServiceProps, WorkloadServiceAccountProps, WorkloadConfigProps, ConfigMapMount, SecretMount, EnvFromSources,
  WorkloadMetricsProps, WorkloadAutoscalingProps, WorkloadDisruptionBudgetProps, WorkloadToleration,
} from './secure-deployment-props';
export { WorkloadEnv } from './workload-env';
export type { EnvKeyOptions, EnvSource } from './workload-env';
export { WorkloadProbe } from './workload-probe';
export type { NetworkProbeOptions, ProbeTiming, ProbeAction } from './workload-probe';
export { LoadBalancerPreset } from './load-balancer-preset';
export type { WorkloadVolumeMount, WorkloadNodeAffinity, WorkloadSpreadProps } from './secure-deployment-props';
export type { IPullSecretWorkload } from './workload';
export { PriorityClass, MAX_USER_PRIORITY } from './priority-class';
export type { PriorityClassProps } from './priority-class';
