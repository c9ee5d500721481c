// Public API of the network concern. CIDR arithmetic, selector matching, manifest readers and the
// Calico pool bookkeeping stay internal.
export { WorkloadNetworkPolicy } from './workload-network-policy';
export type { WorkloadFlowOptions, NamespaceFlowOptions, CidrFlowOptions, FlowProtocol } from './workload-network-policy';
export { ExistingWorkload } from './existing-workload';
export type { ExistingWorkloadAttributes } from './existing-workload';
export { Connectivity } from './connectivity';
export type { ConnectivityOptions, ExtraPod, Protocol } from './connectivity';
export type { PodInfo, PodPortJson, NetworkPolicyInfo, NetworkPolicyRuleJson, NetworkPolicyPeerJson } from './manifests';
export type { LabelSelectorJson } from './label-selector';
export { everyPodIsSelected, findUnselectedPods } from './pod-coverage';
export { CalicoDefaultDeny } from './calico-default-deny';
export type { CalicoDefaultDenyProps } from './calico-default-deny';
export { CalicoIpPool } from './calico-ip-pool';
export type { CalicoIpPoolProps, CalicoEncapsulationMode } from './calico-ip-pool';
export { CalicoBgpConfiguration } from './calico-bgp-configuration';
export type { CalicoBgpConfigurationProps, CalicoLogSeverity } from './calico-bgp-configuration';
export { CalicoInstallation } from './calico-installation';
export type {
  CalicoInstallationProps, CalicoInstallationPool, CalicoInstallationEncapsulation, CalicoNodeAddressAutodetection,
} from './calico-installation';
export { DEFAULT_INGRESS_CONTROLLER, DEFAULT_PROMETHEUS } from './implied-flows';
export type { NamespacePeer } from './implied-flows';
export { findMissingFlows, checkWiring, declaredCallers, wiringCheckHook } from './wiring-check';
export type { DeclaredCaller, WiringCheckOptions, WiringFinding } from './wiring-check';
export type { CidrIngressOptions, NamespaceEgressOptions } from './workload-network-policy';
