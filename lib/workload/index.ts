// Public API of the workload concern: re-exports only.
export * from './workload';
