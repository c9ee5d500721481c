// Public API of the synth concern: re-exports only.
export * from './review-report';
