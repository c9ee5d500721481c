/**
 * The control-plane files (dist/<cloud>/control-plane/) a server release is checked against: the
 * committed ones when the bundled stacks target that release's minor, else a fresh synth for it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './apply';
import { ensureKubeApiserver, kubeBinaryDir } from './kube-server';
import { targetOf } from './targets';
import { BUNDLED_KUBERNETES_VERSION, CLOUDS } from '../../../apps/config/shop-config';
import { createControlPlaneApps } from '../../../apps/control-plane-stack';
import { synthApp } from '../../../lib/synth';

/** The control-plane files for `serverVersion`, by `<cloud>/<file>`, and a cleanup. */
export function controlPlaneFilesFor(serverVersion: string): { files: Record<string, string>; synthesized: boolean; cleanup: () => void } {
  const target = targetOf(serverVersion);
  let root = join(REPO_ROOT, 'dist');
  const synthesized = target !== BUNDLED_KUBERNETES_VERSION;
  if (synthesized) {
    root = mkdtempSync(join(tmpdir(), `control-plane-${target}-`));
    for (const { app } of createControlPlaneApps(root, [CLOUDS.aws, CLOUDS.alibaba], { target })) synthApp(app);
  }
  const files: Record<string, string> = {};
  for (const cloud of readdirSync(root).sort()) {
    const dir = join(root, cloud, 'control-plane');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) files[`${cloud}/${f}`] = readFileSync(join(dir, f), 'utf8');
  }
  return { files, synthesized, cleanup: () => { if (synthesized) rmSync(root, { recursive: true, force: true }); } };
}

/** kubeadm of `version` (build-kube.sh builds it with kube-apiserver). */
export function ensureKubeadm(version: string): string {
  ensureKubeApiserver(version);
  const bin = join(kubeBinaryDir(version), 'kubeadm');
  if (!existsSync(bin)) throw new Error(`kubeadm ${version} is not built (${bin}); run scripts/cluster/build-kube.sh ${version}.`);
  return bin;
}
