// Public API of the synth concern: re-exports only.
export * from './synth-app';
export * from './guardrails-app';
