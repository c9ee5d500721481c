import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** tools/kube-check, installed by `npm run install:kube-check` (override with KUBE_CHECK_BIN). */
export const KUBE_CHECK_BIN = process.env.KUBE_CHECK_BIN ?? join(__dirname, '..', '..', '.tools', 'bin', 'kube-check');

/**
 * Asks real Kubernetes code about many values in one process: `pss` (Pod Security Standards
 * restricted v1.28 verdict of a Pod), `yaml` (what kubectl's YAML 1.1 reader decodes from a
 * document) or `quantity` (resource.ParseQuantity's exact value). One answer per request.
 * Fails (never skips) when the tool is missing: CI must install it.
 */
export function kubeCheck<T = Record<string, any>>(mode: 'pss' | 'yaml' | 'quantity', requests: readonly unknown[]): T[] {
  if (!existsSync(KUBE_CHECK_BIN)) {
    throw new Error(`kube-check not found at ${KUBE_CHECK_BIN}: run \`npm run install:kube-check\` (scripts/install-kube-check.sh), then rerun the tests.`);
  }
  if (requests.length === 0) return [];
  const input = requests.map(r => JSON.stringify(r)).join('\n') + '\n';
  const output = execFileSync(KUBE_CHECK_BIN, [mode], { input, maxBuffer: 256 * 2 ** 20, encoding: 'utf8' });
  const lines = output.split('\n').filter(l => l !== '');
  if (lines.length !== requests.length) throw new Error(`kube-check ${mode}: ${requests.length} requests but ${lines.length} answers`);
  return lines.map(l => JSON.parse(l) as T);
}
