// Public API of the synth concern: re-exports only.
export * from './synth-app';
export * from './guardrails-app';
export * from './argocd-application';
export { writeKustomization, renderKustomization, KUSTOMIZATION_FILE } from './kustomization';
export * from './review-report';
export * from './cluster-ownership';
export * from './apply-order';
