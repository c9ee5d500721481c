import { IConstruct } from 'constructs';
import { GuardrailError, describeConstruct, show } from './errors';

/**
 * The Kubernetes minor a cluster runs, as `'1.<minor>'`. The constructs emit what that server
 * serves: the Pod Security Standards version pinned on namespaces and the
 * ValidatingAdmissionPolicy API version. Objects of cdk8s-plus-28 stay valid on every listed minor.
 */
export type KubernetesVersion =
  | '1.28' | '1.29' | '1.30' | '1.31' | '1.32' | '1.33' | '1.34' | '1.35' | '1.36' | '1.37';

/** The minors {@link KubernetesVersion} accepts, oldest first. */
export const KUBERNETES_VERSIONS: readonly KubernetesVersion[] = [
  '1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36', '1.37',
];

/** The target when nothing sets one: the minor cdk8s-plus-28 is generated for. */
export const DEFAULT_KUBERNETES_VERSION: KubernetesVersion = '1.28';

/** The construct-tree context key {@link setKubernetesVersion} writes. */
export const KUBERNETES_VERSION_CONTEXT = 'cdk8s-guardrails:kubernetesVersion';

/** The minor as a number (`'1.30'` -> 30). */
export function kubernetesMinor(version: KubernetesVersion): number {
  return Number(version.split('.')[1]);
}

/** Throws unless `version` is one of {@link KUBERNETES_VERSIONS}; `where` prefixes the message. */
export function validateKubernetesVersion(where: string, version: unknown): KubernetesVersion {
  if (typeof version !== 'string' || !(KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
    throw new GuardrailError(`${where}: kubernetesVersion ${show(version)} is not a supported target; use one of ${KUBERNETES_VERSIONS.map((v) => `'${v}'`).join(', ')} (the minor of the cluster, e.g. '1.37').`);
  }
  return version as KubernetesVersion;
}

/**
 * Sets the target Kubernetes minor for every construct added under `scope` afterwards (an App or
 * a Chart, before its children are created). Constructs read it with {@link kubernetesVersionOf}.
 */
export function setKubernetesVersion(scope: IConstruct, version: KubernetesVersion): void {
  scope.node.setContext(KUBERNETES_VERSION_CONTEXT, validateKubernetesVersion(describeConstruct(scope), version));
}

/** The target Kubernetes minor of `scope`: the nearest {@link setKubernetesVersion}, else the default. */
export function kubernetesVersionOf(scope: IConstruct): KubernetesVersion {
  const value = scope.node.tryGetContext(KUBERNETES_VERSION_CONTEXT);
  return value === undefined ? DEFAULT_KUBERNETES_VERSION : validateKubernetesVersion(describeConstruct(scope), value);
}

/** The Pod Security Standards version a namespace on `version` pins (`'1.37'` -> `'v1.37'`). */
export function podSecurityVersionFor(version: KubernetesVersion): string {
  return `v${version}`;
}

/**
 * The ValidatingAdmissionPolicy API version `version` serves: `v1` from 1.30 (GA), `v1beta1` on
 * 1.28 and 1.29 (there only with the ValidatingAdmissionPolicy feature gate and
 * `--runtime-config=admissionregistration.k8s.io/v1beta1=true`).
 */
export function admissionPolicyApiVersionFor(version: KubernetesVersion): string {
  return kubernetesMinor(version) >= 30 ? 'admissionregistration.k8s.io/v1' : 'admissionregistration.k8s.io/v1beta1';
}
