// Public API of the workload concern: re-exports only.
export * from './workload';
export * from './image-reference';
export * from './load-balancer-preset';
export * from './secure-deployment-props';
export * from './secure-deployment';
export * from './workload-env';
export * from './workload-probe';
export * from './priority-class';
