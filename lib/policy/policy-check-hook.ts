import { PolicyPack } from './policy-pack';
import type { BeforeWriteHook, SynthesizedChart } from '../synth/synth-app';

/**
 * The `beforeWrite` hook of {@link synthApp} that checks every resolved object against `pack` and
 * throws its `PolicyViolationError` (rule, object, construct path, fix) before any file is written:
 * `synthApp(app, { beforeWrite: [policyCheckHook(new PolicyPack())] })`. Unlike the validation
 * `enforcePolicies` adds, it reuses the manifests the synth already resolved.
 */
export function policyCheckHook(pack: PolicyPack = new PolicyPack()): BeforeWriteHook {
  return (charts: readonly SynthesizedChart[]) => pack.check(
    charts.flatMap(c => c.objects.map(o => ({ manifest: o.manifest, path: o.apiObject.node.path }))),
  );
}
