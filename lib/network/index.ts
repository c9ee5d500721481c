// Public API of the network concern: re-exports only.
export * from './cidr';
export * from './dns';
export * from './label-selector';
export * from './manifests';
export * from './pod-coverage';
export * from './existing-workload';
export * from './workload-network-policy';
export * from './connectivity';
export * from './calico-pools';
export * from './calico-default-deny';
export * from './calico-ip-pool';
export * from './calico-bgp-configuration';
export * from './calico-installation';
export * from './implied-flows';
export * from './wiring-check';
