import { App } from 'cdk8s';
import { PolicyPack } from '../../lib/policy';
import { appIntegrityHook, BeforeWriteHook, SynthesizedChart, synthApp } from '../../lib/synth';

/**
 * A `beforeWrite` hook that checks every resolved object against `pack` and throws its
 * `PolicyViolationError` (rule, object, construct path, fix) before any file is written. Unlike a
 * validation added by `enforcePolicies`, it reuses the manifests the synth already resolved.
 */
export function policyCheckHook(pack: PolicyPack): BeforeWriteHook {
  return (charts: readonly SynthesizedChart[]) => pack.check(
    charts.flatMap(c => c.objects.map(o => ({ manifest: o.manifest, path: o.apiObject.node.path }))),
  );
}

/**
 * Synthesizes each app with the library's linear synth (same files as `app.synth()`), failing on
 * any policy violation of `pack` before writing when one is given.
 */
export function synthApps(apps: readonly { readonly app: App }[], pack?: PolicyPack): void {
  const beforeWrite = pack ? [appIntegrityHook, policyCheckHook(pack)] : [appIntegrityHook];
  for (const { app } of apps) synthApp(app, { beforeWrite });
}
