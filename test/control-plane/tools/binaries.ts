import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The release the real-tool tests run (scripts/cluster/build-kube.sh builds it). */
export const KUBE_VERSION = 'v1.28.15';

/** Where build-kube.sh caches a release's kube-apiserver and kubeadm. */
export function kubeBinary(name: 'kubeadm' | 'kube-apiserver', version = KUBE_VERSION): string {
  const cache = process.env.GUARDRAILS_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cdk8s-guardrails');
  return join(cache, 'kubernetes', version, name);
}

/**
 * `describe` when every binary exists; otherwise `describe.skip` with a message on a developer
 * machine, and an error in CI (CI=true), where a missing binary must fail the run, not skip it.
 */
export function describeWithBinaries(binaries: readonly string[]): jest.Describe {
  const missing = binaries.filter((b) => !existsSync(b));
  if (missing.length === 0) return describe;
  const message = `missing ${missing.join(', ')}: build them with 'bash scripts/cluster/build-kube.sh ${KUBE_VERSION}' (about 15 CPU-minutes, cached), or run 'npm run test:control-plane', which does`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}.`);
  // eslint-disable-next-line no-console
  console.warn(`Skipping the real-tool control-plane tests: ${message}.`);
  return describe.skip;
}
