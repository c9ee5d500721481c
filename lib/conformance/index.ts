// Public API of the conformance concern: re-exports only.
export * from './conformance-exemption';
