/**
 * Which server versions `npm run test:cluster` runs, which `dist/` it checks on each, and what
 * each version is known to refuse (kept explicit: a new refusal fails the suite, and so does a
 * listed refusal that no longer happens).
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './apply';
import { minorOf } from './kube-server';
import { synthBundledApps } from '../../../apps/bundled-app';
import { BUNDLED_KUBERNETES_VERSION } from '../../../apps/config/shop-config';
import { KubernetesVersion } from '../../../lib/common/kubernetes-version';

/** The releases the suite runs by default: the bundled target's newest patch, and 1.28 (the oldest target). */
export const DEFAULT_SERVER_VERSIONS = ['v1.37.2', 'v1.28.15'];

/** `KUBE_VERSIONS=v1.37.2,v1.28.15` overrides {@link DEFAULT_SERVER_VERSIONS}. */
export function serverVersions(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.KUBE_VERSIONS ?? DEFAULT_SERVER_VERSIONS.join(',')).split(',').map((v) => v.trim()).filter(Boolean);
}

/** The `1.<minor>` target of a server release. */
export function targetOf(serverVersion: string): KubernetesVersion {
  return `1.${minorOf(serverVersion)}` as KubernetesVersion;
}

/**
 * The output root to check against `serverVersion`: the committed `dist/` when it targets that
 * minor, else a fresh synth of the bundled stacks for that minor in a temp folder.
 */
export function distFor(serverVersion: string): { root: string; synthesized: boolean } {
  const target = targetOf(serverVersion);
  if (target === BUNDLED_KUBERNETES_VERSION) return { root: join(REPO_ROOT, 'dist'), synthesized: false };
  const root = mkdtempSync(join(tmpdir(), `dist-${target}-`));
  synthBundledApps(root, { kubernetesVersion: target });
  return { root, synthesized: true };
}

/** The target folders of an output root (`aws/cluster`, `aws/production`, ...), sorted; `control-plane` holds node files, never applied. */
export function targetFolders(root: string): string[] {
  return readdirSync(root).sort().flatMap((cloud) => statSync(join(root, cloud)).isDirectory()
    ? readdirSync(join(root, cloud)).sort().filter((f) => f !== 'control-plane' && statSync(join(root, cloud, f)).isDirectory()).map((f) => `${cloud}/${f}`)
    : []);
}

/**
 * Vendored CRD files a server refuses, by minor: the add-on releases in crds/ declare
 * `selectableFields` (a 1.30+ CRD field) on these, so 1.28 and 1.29 refuse them. Objects of
 * their kinds cannot be installed there with these add-on releases (docs/conformance.md).
 */
export const KNOWN_CRD_REFUSALS: readonly { readonly file: string; readonly belowMinor: number; readonly message: RegExp }[] = [
  'crds/calico/projectcalico.org_globalnetworkpolicies.yaml',
  'crds/calico/projectcalico.org_networkpolicies.yaml',
  'crds/cert-manager/cert-manager.io_certificates.yaml',
  'crds/external-secrets/external-secrets.io_externalsecrets.yaml',
].map((file) => ({ file, belowMinor: 30, message: /selectableFields/ }));

/**
 * Warnings a server sends when the target's objects are applied, by minor. A 1.28 or 1.29 target
 * can only use the v1beta1 ValidatingAdmissionPolicy API (v1 is served from 1.30), which servers
 * of 1.31 and later mark deprecated; the server under test sends that warning itself. Any other
 * warning fails the dist/ suite (docs/conformance.md).
 */
export const KNOWN_APPLY_WARNINGS: readonly { readonly belowMinor: number; readonly warning: RegExp }[] = [
  { belowMinor: 30, warning: /^Warning: admissionregistration\.k8s\.io\/v1beta1 ValidatingAdmissionPolicy(Binding)? is deprecated in v1\.31\+, unavailable in v1\.34\+$/ },
];

/** The apply warnings of `warnings` that are not expected for a target of `minor`. */
export function unexpectedApplyWarnings(warnings: readonly string[], minor: number): string[] {
  return warnings.filter((w) => !KNOWN_APPLY_WARNINGS.some((k) => minor < k.belowMinor && k.warning.test(w)));
}

/** The refusals expected on `minor`. */
export function expectedCrdRefusals(minor: number): typeof KNOWN_CRD_REFUSALS {
  return KNOWN_CRD_REFUSALS.filter((r) => minor < r.belowMinor);
}
