// Public API of the common concern. Validation and formatting helpers stay internal: the
// constructs import them from their own files.
export { GuardrailError } from './errors';
export { DEFAULT_KUBERNETES_VERSION, KUBERNETES_VERSIONS, kubernetesVersionOf, setKubernetesVersion } from './kubernetes-version';
export type { KubernetesVersion } from './kubernetes-version';
