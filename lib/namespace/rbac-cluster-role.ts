import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { RbacException, RbacRule, RbacSubject, exceptionAnnotations, validateRbacRules } from './rbac-rules';
import { requireClusterScope } from '../common/cluster-scope';
import { fail, show } from '../common/errors';
import { validateDns1123Label, validateDns1123Subdomain } from '../common/validation';

/** Props of {@link RbacClusterRole}. */
export interface RbacClusterRoleProps {
  /** The ClusterRole name. @default - the construct id */
  readonly name?: string;
  /** The permissions: exact API groups, resources and verbs. */
  readonly rules: readonly RbacRule[];
  /** Allow `*` in rules, with the reason recorded in an annotation. @default - wildcards are refused */
  readonly wildcards?: RbacException;
  /** Allow `bind`, `escalate` or `impersonate`, with the reason recorded. @default - those verbs are refused */
  readonly escalation?: RbacException;
}

/**
 * A least-privilege `ClusterRole` (same checks as {@link RbacRole}). Prefer
 * {@link grantInNamespace}, which grants it in one namespace only; {@link grantTo} grants it
 * cluster-wide, for cluster-scoped resources.
 */
export class RbacClusterRole extends Construct {
  /** The ClusterRole name. */
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RbacClusterRoleProps) {
    super(scope, id);
    requireClusterScope(this, 'ClusterRole');
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.name);
    const rules = validateRbacRules(this, props.rules, props.wildcards, props.escalation);
    new k8s.KubeClusterRole(this, 'Resource', {
      metadata: { name: this.name, annotations: exceptionAnnotations(props.wildcards, props.escalation) },
      rules,
    });
  }

  /** Binds this ClusterRole cluster-wide to `subject`'s ServiceAccount (a ClusterRoleBinding `<role>-<namespace>-<serviceaccount>`). */
  public grantTo(subject: RbacSubject): ApiObject {
    const namespace = this.subjectNamespace(subject);
    const id = `ClusterBinding-${namespace}-${subject.serviceAccountName}`;
    const existing = this.node.tryFindChild(id);
    if (existing instanceof ApiObject) return existing;
    return new k8s.KubeClusterRoleBinding(this, id, {
      metadata: { name: `${this.name}-${namespace}-${subject.serviceAccountName}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: subject.serviceAccountName, namespace }],
    });
  }

  /** Grants this ClusterRole to `subject` inside `namespace` only (a RoleBinding there). */
  public grantInNamespace(subject: RbacSubject, namespace: string): ApiObject {
    validateDns1123Label(this, 'grantInNamespace namespace', namespace);
    const subjectNamespace = this.subjectNamespace(subject);
    const id = `Binding-${namespace}-${subjectNamespace}-${subject.serviceAccountName}`;
    const existing = this.node.tryFindChild(id);
    if (existing instanceof ApiObject) return existing;
    return new k8s.KubeRoleBinding(this, id, {
      metadata: { name: `${this.name}-${subject.serviceAccountName}`, namespace },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: subject.serviceAccountName, namespace: subjectNamespace }],
    });
  }

  private subjectNamespace(subject: RbacSubject): string {
    validateDns1123Subdomain(this, 'serviceAccountName', subject.serviceAccountName);
    if (subject.namespace === undefined) {
      fail(this, `ServiceAccount ${show(subject.serviceAccountName)} has no namespace, which a binding needs: set the namespace of the workload's chart.`);
    }
    return subject.namespace;
  }
}
