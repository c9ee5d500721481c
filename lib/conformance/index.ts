// Public API of the conformance concern.
export { exemptFromConformanceCheck } from './conformance-exemption';
export type { ConformanceExemption, ConformanceTool } from './conformance-exemption';
