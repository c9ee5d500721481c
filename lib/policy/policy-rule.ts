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

/**
 * A CEL expression that must be true, with the message given when it is not. A rule on pod
 * carriers writes it as a function of the pod's paths, so each kind gets an expression with its
 * own typed paths (`object.spec` for a Pod, `object.spec.template.spec` for a Deployment, ...):
 * the API server then type-checks every expression against the kind's schema.
 */
export interface CelValidation {
  readonly expression: string | ((pod: PodPaths) => string);
  /** Short (the API server repeats it in every denial and status). */
  readonly message: string;
}

/** CEL paths of the pod spec and pod metadata inside one kind of pod carrier. */
export interface PodPaths {
  readonly spec: string;
  readonly metadata: string;
}

/** A parameter of a rule: a list of strings with its default. */
export interface RuleParameter {
  readonly description: string;
  readonly default: readonly string[];
  /** The only values the parameter may hold. @default - any value without a comma */
  readonly allowedValues?: readonly string[];
}

/** An object kind with its API group and version and the resource name admission matches on. */
export interface MatchedKind {
  /** API group, `''` for the core group. */
  readonly apiGroup: string;
  /** The version admission matches and type-checks against (never `*`). */
  readonly version: string;
  readonly kind: string;
  /** Plural resource name, as ValidatingAdmissionPolicy resourceRules want it. */
  readonly resource: string;
}

/** Workloads with a pod template at `spec.template.spec` that must declare probes and labels. */
export const TEMPLATED_WORKLOADS: readonly MatchedKind[] = [
  { apiGroup: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' },
  { apiGroup: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets' },
  { apiGroup: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets' },
];

/** Every kind that carries a pod spec (the kinds Pod Security Admission checks, plus PodTemplate). */
export const POD_CARRIERS: readonly MatchedKind[] = [
  { apiGroup: '', version: 'v1', kind: 'Pod', resource: 'pods' },
  ...TEMPLATED_WORKLOADS,
  { apiGroup: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets' },
  { apiGroup: 'batch', version: 'v1', kind: 'Job', resource: 'jobs' },
  { apiGroup: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs' },
  { apiGroup: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers' },
  { apiGroup: '', version: 'v1', kind: 'PodTemplate', resource: 'podtemplates' },
];

/**
 * Where the pod sits in each kind of pod carrier. Kinds with the same paths share one
 * ValidatingAdmissionPolicy (named `guardrails-<rule>-<shape>`); the others get their own, since a
 * typed expression can only name fields its kind has.
 */
export const POD_SHAPES: ReadonlyArray<{ readonly name: string; readonly kinds: readonly string[]; readonly paths: PodPaths }> = [
  { name: 'pods', kinds: ['Pod'], paths: { spec: 'object.spec', metadata: 'object.metadata' } },
  {
    name: 'workloads',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController'],
    paths: { spec: 'object.spec.template.spec', metadata: 'object.spec.template.metadata' },
  },
  { name: 'cronjobs', kinds: ['CronJob'], paths: { spec: 'object.spec.jobTemplate.spec.template.spec', metadata: 'object.spec.jobTemplate.spec.template.metadata' } },
  { name: 'podtemplates', kinds: ['PodTemplate'], paths: { spec: 'object.template.spec', metadata: 'object.template.metadata' } },
];

/** The pod paths of `kind`, or undefined when it carries no pod. */
export function podPathsOf(kind: string): PodPaths | undefined {
  return POD_SHAPES.find((s) => s.kinds.includes(kind))?.paths;
}

/** The concrete validations of `rule` for objects of `kind` (pod paths filled in). */
export function validationsFor(rule: PolicyRule, kind: string): Array<{ readonly expression: string; readonly message: string }> {
  return rule.validations.map((v) => {
    if (typeof v.expression === 'string') return { expression: v.expression, message: v.message };
    const paths = podPathsOf(kind);
    if (!paths) throw new Error(`rule ${rule.id} has pod validations but matches ${kind}, which carries no pod`);
    return { expression: v.expression(paths), message: v.message };
  });
}

/** The container lists of a pod spec: all of them, or the ones that run the workload itself. */
export type ContainerLists = 'all' | 'regular';

/**
 * CEL: `predicate` holds for every container of the pod spec at `spec` (init containers too, and
 * ephemeral ones for `all`). Each list is checked on its own: typed CEL cannot concatenate
 * `containers` and `initContainers`, whose schema types differ.
 */
export function celEachContainer(spec: string, predicate: (c: string) => string, lists: ContainerLists = 'all'): string {
  const names = lists === 'all' ? ['containers', 'initContainers', 'ephemeralContainers'] : ['containers', 'initContainers'];
  return names.map((l) => `(!has(${spec}.${l}) || ${spec}.${l}.all(c, ${predicate('c')}))`).join(' && ');
}

/** CEL: the pod spec at `spec` is a Windows pod (exempt from some Linux-only controls). */
export function celIsWindows(spec: string): string {
  return `(has(${spec}.os) && ${spec}.os.name == 'windows')`;
}

/** Every volume source of a core/v1 Volume in Kubernetes 1.28 (the fields besides `name`). */
export const VOLUME_SOURCES: readonly string[] = [
  'awsElasticBlockStore', 'azureDisk', 'azureFile', 'cephfs', 'cinder', 'configMap', 'csi', 'downwardAPI', 'emptyDir',
  'ephemeral', 'fc', 'flexVolume', 'flocker', 'gcePersistentDisk', 'gitRepo', 'glusterfs', 'hostPath', 'iscsi', 'nfs',
  'persistentVolumeClaim', 'photonPersistentDisk', 'portworxVolume', 'projected', 'quobyte', 'rbd', 'scaleIO', 'secret',
  'storageos', 'vsphereVolume',
];

/** Rego helpers shared by pod-spec rules: `pod_spec`, `pod_metadata`, `all_containers`, `regular_containers`, `is_windows`. */
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
  obj.kind == "PodTemplate"
  spec := obj.template.spec
}

pod_spec(obj) = spec {
  not {"Pod", "CronJob", "PodTemplate"}[obj.kind]
  spec := obj.spec.template.spec
}

pod_metadata(obj) = m {
  obj.kind == "Pod"
  m := obj.metadata
}

pod_metadata(obj) = m {
  obj.kind == "CronJob"
  m := obj.spec.jobTemplate.spec.template.metadata
}

pod_metadata(obj) = m {
  obj.kind == "PodTemplate"
  m := obj.template.metadata
}

pod_metadata(obj) = m {
  not {"Pod", "CronJob", "PodTemplate"}[obj.kind]
  m := obj.spec.template.metadata
}

regular_containers[c] {
  c := pod_spec(input.review.object).containers[_]
}

regular_containers[c] {
  c := pod_spec(input.review.object).initContainers[_]
}

all_containers[c] {
  c := regular_containers[_]
}

all_containers[c] {
  c := pod_spec(input.review.object).ephemeralContainers[_]
}

is_windows {
  pod_spec(input.review.object).os.name == "windows"
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
