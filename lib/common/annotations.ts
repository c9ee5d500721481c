/**
 * Every annotation key the library writes, under the project's own domain `cdk8s-guardrails.io`
 * (the domain its policy-suppression and conformance keys already used). Until 0.1 the workload,
 * secret, RBAC and ingress reasons lived under `guardrails.cdk8s.io`, a domain of the cdk8s
 * project; the readers below still accept those keys for one release (until 0.3).
 */
export const ANNOTATION_DOMAIN = 'cdk8s-guardrails.io';

/** The domain of the keys written before 0.2; read, never written. @internal */
export const LEGACY_ANNOTATION_DOMAIN = 'guardrails.cdk8s.io';

/** The annotation keys of cdk8s-guardrails. */
export const GuardrailsAnnotations = {
  /** Why a pod needs an unsafe setting (`security.unsafeReason` of SecureDeployment). */
  UNSAFE_REASON: `${ANNOTATION_DOMAIN}/unsafe-reason`,
  /** Prefix of `<prefix>.<liveness|readiness|startup>`: why a probe is disabled. */
  PROBE_DISABLED: `${ANNOTATION_DOMAIN}/probe-disabled`,
  /** Why a Secret carries literal data (LiteralSecret, RegistryPullSecret); the leak guard requires it. */
  PLAINTEXT_SECRET_REASON: `${ANNOTATION_DOMAIN}/plaintext-secret-reason`,
  /** Why an RBAC rule uses a wildcard. */
  WILDCARD_REASON: `${ANNOTATION_DOMAIN}/wildcard-reason`,
  /** Why an RBAC rule grants an escalating verb. */
  ESCALATION_REASON: `${ANNOTATION_DOMAIN}/escalation-reason`,
  /** Why an Ingress carries a raw nginx configuration snippet. */
  SNIPPET_REASON: `${ANNOTATION_DOMAIN}/snippet-reason`,
  /** Prefix of `<prefix><rule-id>`: why an object is an exception to a policy rule. */
  POLICY_SUPPRESSION_PREFIX: `policy.${ANNOTATION_DOMAIN}/suppress.`,
  /** Prefix of `<prefix><check>`: why an object is exempt from a conformance check. */
  CONFORMANCE_REASON_PREFIX: `conformance.${ANNOTATION_DOMAIN}/reason.`,
} as const;

/**
 * The value of annotation `key` (one of {@link GuardrailsAnnotations}, or a key built from a
 * prefix), falling back to the same key under the domain used before 0.2.
 * @internal
 */
export function readGuardrailsAnnotation(annotations: Readonly<Record<string, unknown>> | undefined, key: string): unknown {
  if (annotations === undefined || annotations === null) return undefined;
  if (key in annotations) return annotations[key];
  const legacy = key.startsWith(`${ANNOTATION_DOMAIN}/`) ? `${LEGACY_ANNOTATION_DOMAIN}/${key.slice(ANNOTATION_DOMAIN.length + 1)}` : undefined;
  return legacy !== undefined ? annotations[legacy] : undefined;
}
