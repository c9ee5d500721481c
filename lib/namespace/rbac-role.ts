import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RbacException, RbacRule, RbacSubject, exceptionAnnotations, validateRbacRules } from './rbac-rules';
import { fail } from '../common/errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../common/validation';

/** Props of {@link RbacRole}. */
export interface RbacRoleProps {
  /** The Role name. @default - the construct id */
  readonly name?: string;
  /** The namespace of the Role. @default - the chart's namespace (one is required) */
  readonly namespace?: string;
  /** The permissions: exact API groups, resources and verbs. */
  readonly rules: readonly RbacRule[];
  /** Allow `*` in rules, with the reason recorded in an annotation. @default - wildcards are refused */
  readonly wildcards?: RbacException;
  /** Allow `bind`, `escalate` or `impersonate`, with the reason recorded. @default - those verbs are refused */
  readonly escalation?: RbacException;
}

/**
 * A least-privilege namespaced `Role`: wildcards and privilege-escalation verbs are refused
 * unless explicitly allowed with a reason, rule fields are sorted for stable output, and
 * {@link grantTo} binds it to a workload's ServiceAccount.
 */
export class RbacRole extends Construct {
  /** The Role name. */
  public readonly name: string;
  /** The Role namespace. */
  public readonly namespace: string;

  constructor(scope: Construct, id: string, props: RbacRoleProps) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.name);
    const namespace = props.namespace ?? Chart.of(this).namespace;
    if (namespace === undefined) {
      fail(this, 'has no namespace: a Role lives in one; set namespace, or the namespace of its chart.');
    }
    validateDns1123Label(this, 'namespace', namespace);
    this.namespace = namespace;
    const rules = validateRbacRules(this, props.rules, props.wildcards, props.escalation);
    new k8s.KubeRole(this, 'Resource', {
      metadata: { name: this.name, namespace, annotations: exceptionAnnotations(props.wildcards, props.escalation) },
      rules,
    });
  }

  /**
   * Binds this Role to `subject`'s ServiceAccount with a RoleBinding named
   * `<role>-<serviceaccount>` (once per subject; later calls return the same binding).
   */
  public grantTo(subject: RbacSubject): ApiObject {
    const subjectNamespace = subject.namespace ?? this.namespace;
    validateDns1123Subdomain(this, 'grantTo serviceAccountName', subject.serviceAccountName);
    const id = `Binding-${subjectNamespace}-${subject.serviceAccountName}`;
    const existing = this.node.tryFindChild(id);
    if (existing instanceof ApiObject) return existing;
    return new k8s.KubeRoleBinding(this, id, {
      metadata: { name: `${this.name}-${subject.serviceAccountName}`, namespace: this.namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: subject.serviceAccountName, namespace: subjectNamespace }],
    });
  }
}
