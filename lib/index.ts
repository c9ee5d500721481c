// The public API of cdk8s-guardrails: re-exports only, one line per concern.
export * from './common';
export * from './workload';
export * from './namespace';
export * from './network';
export * from './storage';
export * from './ingress';
export * from './registry';
export * from './secrets';
export * from './policy';
export * from './observability';
export * from './synth';
export * from './conformance';
export {
  AuditPolicy, EncryptionAtRest, EncryptionKeySource, EncryptionProvider, ENCRYPTION_KEY_PLACEHOLDER, FORWARD_SECRET_CIPHER_SUITES,
  KubeadmConfiguration, KubeadmJoinConfiguration, KubeletHardening, KubeProxyHardening, MIN_KUBERNETES_MINOR, PodSecurityAdmissionDefaults,
  findEncryptionKeyLeaks, kubeadmApiVersionFor, parseKubernetesRelease, renderEncryptionConfiguration, requireForwardSecretCipherSuites,
  requireKubeletExtraArgs,
} from './cluster';
export type {
  AuditGroupResources, AuditLevel, AuditPolicyProps, AuditRule, EncryptionAtRestProps, EncryptionKeyReader, ExposedEndpoint, IpvsScheduler,
  KmsPluginOptions, KubeadmApiVersion, KubeadmAuditLogOptions, KubeadmConfigurationProps, KubeadmControlPlaneNode, KubeadmEtcdTuning,
  KubeadmJoinConfigurationProps, KubeletEvictionThresholds, KubeletHardeningProps, KubeProxyHardeningProps, KubeProxyMode, KubernetesRelease,
  PodSecurityAdmissionDefaultsProps, PodSecurityLevel,
} from './cluster';
