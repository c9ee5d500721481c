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
