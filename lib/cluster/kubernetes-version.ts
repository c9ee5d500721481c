import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/** The kubeadm configuration API a kubeadm release reads. */
export type KubeadmApiVersion = 'kubeadm.k8s.io/v1beta3' | 'kubeadm.k8s.io/v1beta4';

/** A Kubernetes release the control-plane files are written for, e.g. `v1.28.15`. */
export interface KubernetesRelease {
  /** As kubeadm writes it: `v1.28.15`. */
  readonly text: string;
  /** The minor version: 28. */
  readonly minor: number;
  /** The patch version: 15. */
  readonly patch: number;
  /** The kubeadm API this release is configured with. */
  readonly kubeadmApiVersion: KubeadmApiVersion;
}

/** The oldest release the library writes control-plane files for (cdk8s-plus-28, PSA v1). */
export const MIN_KUBERNETES_MINOR = 28;

/**
 * The kubeadm API for a minor release: v1beta3 up to 1.30; v1beta4 from 1.31, where v1beta3
 * is deprecated and `extraArgs` became a list of name/value pairs.
 */
export function kubeadmApiVersionFor(minor: number): KubeadmApiVersion {
  return minor >= 31 ? 'kubeadm.k8s.io/v1beta4' : 'kubeadm.k8s.io/v1beta3';
}

/**
 * Parses `v1.28.15` (or `1.28.15`) for `scope`, throwing when it is not a full release of
 * Kubernetes 1.28 or later: kubeadm needs the patch version, and older releases are past
 * their end of life.
 */
export function parseKubernetesRelease(scope: IConstruct, what: string, version: string): KubernetesRelease {
  const m = /^v?1\.(\d+)\.(\d+)$/.exec(version);
  if (m === null) {
    fail(scope, `${what} ${show(version)} is not a Kubernetes release: write it as 'v1.<minor>.<patch>', e.g. 'v1.28.15'.`);
  }
  const minor = Number(m[1]);
  const patch = Number(m[2]);
  if (minor < MIN_KUBERNETES_MINOR) {
    fail(scope, `${what} ${show(version)} is older than v1.${MIN_KUBERNETES_MINOR}, the oldest release these files are written for (PodSecurityPolicy is gone, Pod Security Admission v1 is used): target v1.${MIN_KUBERNETES_MINOR} or later.`);
  }
  return { text: `v1.${minor}.${patch}`, minor, patch, kubeadmApiVersion: kubeadmApiVersionFor(minor) };
}
