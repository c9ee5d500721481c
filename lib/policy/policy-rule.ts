/**
 * One admission rule, defined once and rendered three ways: a Gatekeeper ConstraintTemplate (Rego),
 * a Kubernetes ValidatingAdmissionPolicy (CEL) and the synth-time check (the same CEL).
 */
export interface PolicyRule {
  /** Kebab-case id, used in suppression annotations and object names: `required-labels`. */
  readonly id: string;
  /** Gatekeeper constraint kind (the template's CRD kind): `K8sRequiredLabels`. */
  readonly kind: string;
  /** One sentence: what the rule demands and why. */
  readonly description: string;
  /** How to fix a violation (shown in synth-time errors and the cdk8s validation report). */
  readonly fix: string;
  /** The object kinds the rule applies to. */
  readonly match: readonly MatchedKind[];
  /**
   * Parameters, each a list of strings. In Gatekeeper they are typed arrays under
   * `input.parameters`; in a ValidatingAdmissionPolicy they come from a ConfigMap whose `data`
   * holds each list joined with commas, which the CEL reads with `params.data.<name>.split(',')`.
   * @default - the rule takes no parameters
   */
  readonly parameters?: Readonly<Record<string, RuleParameter>>;
  /** Namespaces the rule is limited to by default. @default - every namespace */
  readonly defaultNamespaces?: readonly string[];
  /** Whether a pack enables the rule when not told otherwise. @default true */
  readonly enabledByDefault?: boolean;
  /**
   * CEL validations with the variables `object` (the object under review) and, when the rule has
   * parameters, `params` (the parameter ConfigMap). The object passes when every one is true.
   */
  readonly validations: readonly CelValidation[];
  /**
   * Gatekeeper Rego: a complete module (`package` line included) defining
   * `violation[{"msg": msg}]` over `input.review.object` and `input.parameters`.
   */
  readonly rego: string;
}

/** A CEL expression that must be true, with the message given when it is not. */
export interface CelValidation {
  readonly expression: string;
  readonly message: string;
}

/** A parameter of a rule: a list of strings with its default. */
export interface RuleParameter {
  readonly description: string;
  readonly default: readonly string[];
}

/** An object kind with its API group and the resource name admission matches on. */
export interface MatchedKind {
  /** API group, `''` for the core group. */
  readonly apiGroup: string;
  readonly kind: string;
  /** Plural resource name, as ValidatingAdmissionPolicy resourceRules want it. */
  readonly resource: string;
}

/** Workloads with a pod template at `spec.template.spec`. */
export const TEMPLATED_WORKLOADS: readonly MatchedKind[] = [
  { apiGroup: 'apps', kind: 'Deployment', resource: 'deployments' },
  { apiGroup: 'apps', kind: 'StatefulSet', resource: 'statefulsets' },
  { apiGroup: 'apps', kind: 'DaemonSet', resource: 'daemonsets' },
];

/** Every kind that carries a pod spec. */
export const POD_CARRIERS: readonly MatchedKind[] = [
  { apiGroup: '', kind: 'Pod', resource: 'pods' },
  ...TEMPLATED_WORKLOADS,
  { apiGroup: 'apps', kind: 'ReplicaSet', resource: 'replicasets' },
  { apiGroup: 'batch', kind: 'Job', resource: 'jobs' },
  { apiGroup: 'batch', kind: 'CronJob', resource: 'cronjobs' },
];

/**
 * CEL for a pod-spec condition on any pod carrier: `body` receives the CEL path of the pod spec
 * and the result picks the right one by kind, so one expression serves every matched kind.
 */
export function celOnPodSpec(body: (spec: string) => string): string {
  return `object.kind == 'Pod' ? (${body('object.spec')}) : `
    + `object.kind == 'CronJob' ? (${body('object.spec.jobTemplate.spec.template.spec')}) : `
    + `(${body('object.spec.template.spec')})`;
}

/** CEL list of every container (init containers first) of the pod spec at `spec`. */
export function celContainers(spec: string): string {
  return `((has(${spec}.initContainers) ? ${spec}.initContainers : []) + ${spec}.containers)`;
}

/** Rego helpers shared by pod-spec rules: `pod_spec` and `all_containers`. */
export const REGO_POD_HELPERS = `
pod_spec(obj) = spec {
  obj.kind == "Pod"
  spec := obj.spec
}

pod_spec(obj) = spec {
  obj.kind == "CronJob"
  spec := obj.spec.jobTemplate.spec.template.spec
}

pod_spec(obj) = spec {
  obj.kind != "Pod"
  obj.kind != "CronJob"
  spec := obj.spec.template.spec
}

all_containers[c] {
  c := pod_spec(input.review.object).containers[_]
}

all_containers[c] {
  c := pod_spec(input.review.object).initContainers[_]
}
`;

/** The parameter values of a rule with every default filled in. */
export function resolveParameters(rule: PolicyRule, given: Readonly<Record<string, readonly string[]>> = {}): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, p] of Object.entries(rule.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    out[name] = [...(given[name] ?? p.default)];
  }
  return out;
}

/** The `data` of the ValidatingAdmissionPolicy parameter ConfigMap: each list joined by commas. */
export function parameterConfigMapData(parameters: Readonly<Record<string, readonly string[]>>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const [name, values] of Object.entries(parameters)) data[name] = values.join(',');
  return data;
}
