import { join } from 'node:path';
import { App } from 'cdk8s';
import { writeEnvironmentKustomizations } from './review';
import { PolicyPack, policyCheckHook } from '../../lib/policy';
import { appIntegrityHook, BeforeWriteHook, SynthesizedChart, synthApp, synthAppInto, writeOutputFolder } from '../../lib/synth';

/**
 * Synthesizes each app with the library's linear synth (same files as `app.synth()`), failing on
 * any policy violation of `pack` before writing when one is given.
 */
export function synthApps(apps: readonly { readonly app: App }[], pack?: PolicyPack): void {
  const beforeWrite = pack ? [appIntegrityHook, policyCheckHook(pack)] : [appIntegrityHook];
  for (const { app } of apps) synthApp(app, { beforeWrite });
}

/** What one app wrote into its folder of the output tree. */
export interface SynthesizedFolder {
  /** The folder, relative to the output root (e.g. `aws/production`). */
  readonly folder: string;
  /** Its charts. */
  readonly charts: number;
  /** Its objects (manifests). */
  readonly objects: number;
}

/**
 * Replaces the folder `outRoot` with a new tree holding every app in its `folder` (checked against
 * its `policies` and the whole-app `checks` before anything is written) and a `kustomization.yaml` in each,
 * plus the `nodeFiles` apps (files for the nodes, such as kubeadm configuration: not applied to the
 * API server, so no admission checks and no kustomization). The tree is written beside `outRoot`
 * and switched as a whole (`writeOutputFolder`, nothing of the old tree kept): when any app fails,
 * or the process is killed, `outRoot` is left as it was.
 */
export function synthFolders(
  outRoot: string,
  apps: readonly { readonly folder: string; readonly app: App; readonly policies: PolicyPack }[],
  checks: readonly BeforeWriteHook[] = [],
  nodeFiles: readonly { readonly folder: string; readonly app: App }[] = [],
): SynthesizedFolder[] {
  return writeOutputFolder(outRoot, (root) => {
    const count = (folder: string, charts: readonly SynthesizedChart[]) => ({
      folder, charts: charts.length, objects: charts.reduce((n, c) => n + c.objects.length, 0),
    });
    const written = apps.map(({ folder, app, policies }) =>
      count(folder, synthAppInto(app, join(root, folder), {
        beforeWrite: [appIntegrityHook, policyCheckHook(policies), ...checks], durable: false,
      })));
    writeEnvironmentKustomizations(root, apps.map((a) => a.folder));
    for (const { folder, app } of nodeFiles) written.push(count(folder, synthAppInto(app, join(root, folder), { durable: false })));
    return written;
  }, { keepUnwritten: false }).result;
}

/** One line per folder for `npm run synth`: `dist/aws/production  1 chart, 57 objects`, and the total. */
export function describeSynth(outRoot: string, folders: readonly SynthesizedFolder[], seconds: number): string {
  const width = Math.max(...folders.map((f) => join(outRoot, f.folder).length));
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const lines = folders.map((f) => `  ${join(outRoot, f.folder).padEnd(width)}  ${plural(f.charts, 'chart')}, ${plural(f.objects, 'object')}`);
  const objects = folders.reduce((n, f) => n + f.objects, 0);
  return [...lines, `synthesized ${plural(objects, 'object')} into ${plural(folders.length, 'folder')} of ${outRoot}/ in ${seconds.toFixed(2)} s`].join('\n') + '\n';
}
