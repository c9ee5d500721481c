// Public API of the observability concern: re-exports only.
export * from './prometheus-duration';
export * from './workload-monitor';
