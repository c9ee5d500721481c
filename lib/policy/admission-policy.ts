import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { admissionPolicyApiVersionFor, KubernetesVersion, kubernetesVersionOf } from '../common/kubernetes-version';
import { ConfiguredPolicyRule } from './policy-pack';
import { parameterConfigMapData } from './policy-rule';

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
 * A Kubernetes-native form of a rule: a `ValidatingAdmissionPolicy` carrying its CEL validations
 * (the very expressions the synth-time check runs), a `ValidatingAdmissionPolicyBinding` scoping it
 * to the rule's namespaces, and, when the rule takes parameters, the ConfigMap they are read from
 * (`paramKind: v1/ConfigMap`; lists are comma-joined in `data`). `failurePolicy: Fail`: an
 * expression that cannot be evaluated rejects the object, as the synth-time check does.
 */
export class AdmissionPolicy extends Construct {
  /** Name of the policy and of its binding: `guardrails-<rule-id>`. */
  public readonly policyName: string;

  constructor(scope: Construct, id: string, props: AdmissionPolicyProps) {
    super(scope, id);
    const { rule, parameters, namespaces, excludedNamespaces } = props.rule;
    this.policyName = `guardrails-${rule.id}`;
    const hasParams = Object.keys(parameters).length > 0;
    const paramsNamespace = props.paramsNamespace ?? 'kube-system';
    const apiVersion = admissionPolicyApiVersionFor(props.kubernetesVersion ?? kubernetesVersionOf(this));

    const groups = new Map<string, string[]>();
    for (const m of rule.match) groups.set(m.apiGroup, [...(groups.get(m.apiGroup) ?? []), m.resource]);

    new ApiObject(this, 'Policy', {
      apiVersion,
      kind: 'ValidatingAdmissionPolicy',
      metadata: { name: this.policyName, annotations: { description: rule.description } },
      spec: {
        failurePolicy: 'Fail',
        ...(hasParams ? { paramKind: { apiVersion: 'v1', kind: 'ConfigMap' } } : {}),
        matchConstraints: {
          resourceRules: [...groups.entries()].map(([group, resources]) => ({
            apiGroups: [group],
            apiVersions: ['*'],
            operations: ['CREATE', 'UPDATE'],
            resources,
          })),
        },
        validations: rule.validations.map((v) => ({ expression: v.expression, message: v.message })),
      },
    });

    const matchExpressions: Array<Record<string, unknown>> = [];
    if (namespaces !== undefined) matchExpressions.push({ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...namespaces] });
    if (excludedNamespaces.length > 0) matchExpressions.push({ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [...excludedNamespaces] });

    new ApiObject(this, 'Binding', {
      apiVersion,
      kind: 'ValidatingAdmissionPolicyBinding',
      metadata: { name: this.policyName },
      spec: {
        policyName: this.policyName,
        validationActions: [...(props.validationActions ?? ['Deny'])],
        ...(hasParams ? { paramRef: { name: this.policyName, namespace: paramsNamespace, parameterNotFoundAction: 'Deny' } } : {}),
        ...(matchExpressions.length > 0 ? { matchResources: { namespaceSelector: { matchExpressions } } } : {}),
      },
    });

    if (hasParams) {
      new ApiObject(this, 'Params', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: this.policyName, namespace: paramsNamespace },
        data: parameterConfigMapData(parameters),
      });
    }
  }
}
