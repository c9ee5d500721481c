import { App } from 'cdk8s';
import { PolicyPack, policyCheckHook } from '../../lib/policy';
import { synthApp } from '../../lib/synth';

/**
 * Synthesizes each app with the library's linear synth (same files as `app.synth()`), failing on
 * any policy violation of `pack` before writing when one is given.
 */
export function synthApps(apps: readonly { readonly app: App }[], pack?: PolicyPack): void {
  const beforeWrite = pack ? [policyCheckHook(pack)] : [];
  for (const { app } of apps) synthApp(app, { beforeWrite });
}
