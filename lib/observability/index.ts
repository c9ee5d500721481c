// Public API of the observability concern: re-exports only.
export * from './prometheus-duration';
export * from './workload-monitor';
export * from './alert-rules';
export * from './workload-alert-rules';
export * from './cluster-alert-rules';
export * from './tracing';
export * from './fluent-bit-sidecar';
