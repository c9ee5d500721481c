import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { validateDns1123Label } from '../common/validation';
import { admissionPolicyApiVersionFor, KubernetesVersion, kubernetesVersionOf } from '../common/kubernetes-version';
import { ConfiguredPolicyRule } from './policy-pack';
import { MatchedKind, parameterConfigMapData, POD_SHAPES, validationsFor } from './policy-rule';

/**
 * The API version of ValidatingAdmissionPolicy that Kubernetes 1.28 serves (beta, behind the
 * ValidatingAdmissionPolicy feature gate); the policies emit `admissionPolicyApiVersionFor(target)`.
 */
export const ADMISSION_POLICY_API_VERSION = 'admissionregistration.k8s.io/v1beta1';

/** Props of an {@link AdmissionPolicy}. */
export interface AdmissionPolicyProps {
  /** The rule with its parameters and scope (an entry of `PolicyPack.rules`). */
  readonly rule: ConfiguredPolicyRule;
  /** Namespace of the parameter ConfigMap. @default 'kube-system' */
  readonly paramsNamespace?: string;
  /** What the API server does on a violation. @default ['Deny'] */
  readonly validationActions?: ReadonlyArray<'Deny' | 'Warn' | 'Audit'>;
  /** The cluster's Kubernetes minor: `admissionregistration.k8s.io/v1` from 1.30, `v1beta1` before. @default - the scope's target (`setKubernetesVersion`), else '1.28' */
  readonly kubernetesVersion?: KubernetesVersion;
}

/**
 * A Kubernetes-native form of a rule: `ValidatingAdmissionPolicy`s carrying its CEL validations
 * (the very expressions the synth-time check runs), a `ValidatingAdmissionPolicyBinding` for each,
 * scoped to the rule's namespaces, and, when the rule takes parameters, the ConfigMap they are
 * read from (`paramKind: v1/ConfigMap`; lists are comma-joined in `data`). `failurePolicy: Fail`:
 * an expression that cannot be evaluated rejects the object, as the synth-time check does.
 *
 * Every resource rule names its API version (never `*`), so the API server type-checks each
 * expression against the kind's schema (`status.typeChecking`). Pod carriers with different pod
 * paths therefore get one policy each (`guardrails-<rule>-pods`, `-workloads`, `-cronjobs`,
 * `-podtemplates`); a rule whose kinds share one form keeps the name `guardrails-<rule>`.
 */
export class AdmissionPolicy extends Construct {
  /** Names of the policies (and of their bindings), in emission order. */
  public readonly policyNames: readonly string[];

  constructor(scope: Construct, id: string, props: AdmissionPolicyProps) {
    super(scope, id);
    const { rule, parameters, namespaces, excludedNamespaces } = props.rule;
    const paramsName = `guardrails-${rule.id}`;
    const hasParams = Object.keys(parameters).length > 0;
    const paramsNamespace = props.paramsNamespace ?? 'kube-system';
    validateDns1123Label(this, "'paramsNamespace'", paramsNamespace);
    const actions = props.validationActions ?? ['Deny'];
    const unknownAction = actions.find(a => !['Deny', 'Warn', 'Audit'].includes(a));
    if (unknownAction !== undefined) fail(this, `'validationActions' entry ${show(unknownAction)} is not one Kubernetes knows: use 'Deny', 'Warn' or 'Audit'.`);
    if (actions.length === 0 || new Set(actions).size !== actions.length) {
      fail(this, `'validationActions' ${show(actions)} must list each action once and at least one (e.g. ['Deny']).`);
    }
    // The API server refuses a binding that both denies and warns: a denied request already reports the message.
    if (actions.includes('Deny') && actions.includes('Warn')) fail(this, "'validationActions' holds both 'Deny' and 'Warn', which Kubernetes refuses together; use ['Deny'] or ['Deny', 'Audit'].");
    const apiVersion = admissionPolicyApiVersionFor(props.kubernetesVersion ?? kubernetesVersionOf(this));

    // Kinds whose expressions render identically share a policy.
    const groups = new Map<string, { kinds: MatchedKind[]; validations: ReturnType<typeof validationsFor> }>();
    for (const m of rule.match) {
      const validations = validationsFor(rule, m.kind);
      const key = JSON.stringify(validations);
      const group = groups.get(key) ?? { kinds: [], validations };
      group.kinds.push(m);
      groups.set(key, group);
    }

    const matchExpressions: Array<Record<string, unknown>> = [];
    if (namespaces !== undefined) matchExpressions.push({ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] });
    if (excludedNamespaces.length > 0) matchExpressions.push({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...excludedNamespaces] });

    const names: string[] = [];
    for (const { kinds, validations } of groups.values()) {
      const shape = POD_SHAPES.find((s) => s.kinds.includes(kinds[0].kind))?.name;
      const policyName = groups.size === 1 || shape === undefined ? paramsName : `${paramsName}-${shape}`;
      names.push(policyName);
      const resourceRules = new Map<string, { apiGroups: string[]; apiVersions: string[]; operations: string[]; resources: string[] }>();
      for (const k of kinds) {
        const key = `${k.apiGroup}/${k.version}`;
        const r = resourceRules.get(key) ?? { apiGroups: [k.apiGroup], apiVersions: [k.version], operations: ['CREATE', 'UPDATE'], resources: [] };
        r.resources.push(k.resource);
        resourceRules.set(key, r);
      }
      const scopeId = groups.size === 1 ? '' : `-${shape}`;
      new ApiObject(this, `Policy${scopeId}`, {
        apiVersion,
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name: policyName, annotations: { description: rule.description } },
        spec: {
          failurePolicy: 'Fail',
          ...(hasParams ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
          matchConstraints: { resourceRules: [...resourceRules.values()] },
          validations: validations.map((v) => ({ expression: v.expression, message: v.message })),
        },
      });
      new ApiObject(this, `Binding${scopeId}`, {
        apiVersion,
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name: policyName },
        spec: {
          policyName,
          validationActions: [...actions],
          ...(hasParams ? { paramRef: { name: paramsName, namespace: paramsNamespace, parameterNotFoundAction: 'Deny' } } : {}),
          ...(matchExpressions.length > 0 ? { matchResources: { namespaceSelector: { matchExpressions } } } : {}),
        },
      });
    }
    this.policyNames = names;

    if (hasParams) {
      new ApiObject(this, 'Params', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: paramsName, namespace: paramsNamespace },
        data: parameterConfigMapData(parameters),
      });
    }
  }
}
