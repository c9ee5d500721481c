import { IConstruct } from 'constructs';
import { POD_SECURITY_POLICY_REMOVED } from './pod-security-policy';
import { GuardrailsAnnotations } from '../common/annotations';
import { fail, show } from '../common/errors';

/** One RBAC permission: these verbs on these resources of these API groups. */
export interface RbacRule {
  /** API groups; `''` is the core group (pods, secrets, configmaps...). */
  readonly apiGroups: readonly string[];
  /** Resources, optionally with a subresource (`pods/log`). */
  readonly resources: readonly string[];
  /** Verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection`...). */
  readonly verbs: readonly string[];
  /** Restrict to these object names. @default - every object of the resources */
  readonly resourceNames?: readonly string[];
}

/** An explicit, explained exception to a least-privilege check. */
export interface RbacException {
  /** Why this role needs it; recorded in an annotation for reviewers. */
  readonly reason: string;
}

/** A rule as written to the manifest: every list sorted and deduplicated. */
export interface NormalizedRbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
  readonly resourceNames?: string[];
}

/** The verbs the API server knows, plus the special ones RBAC defines. */
export const KNOWN_VERBS: readonly string[] = [
  'approve', 'bind', 'create', 'delete', 'deletecollection', 'escalate', 'get', 'impersonate', 'list', 'patch', 'sign', 'update', 'use', 'watch',
];

/** Verbs that let the holder gain permissions it does not have. */
export const ESCALATION_VERBS: readonly string[] = ['bind', 'escalate', 'impersonate'];

/** Annotation keys recording why an exception was granted. */
export const WILDCARD_REASON_ANNOTATION = GuardrailsAnnotations.WILDCARD_REASON;
export const ESCALATION_REASON_ANNOTATION = GuardrailsAnnotations.ESCALATION_REASON;

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

/**
 * Checks and normalizes rules (fields sorted and deduplicated): refuses wildcards unless
 * `wildcards` gives a reason, escalation verbs unless `escalation` does, unknown verbs, empty
 * lists, and any mention of PodSecurityPolicy.
 */
export function validateRbacRules(
  scope: IConstruct, rules: readonly RbacRule[], wildcards?: RbacException, escalation?: RbacException,
): NormalizedRbacRule[] {
  if (rules.length === 0) {
    fail(scope, 'rules is empty: list the permissions the workload needs, e.g. { apiGroups: [\'\'], resources: [\'configmaps\'], verbs: [\'get\', \'watch\'] }.');
  }
  for (const [field, exception] of [['wildcards', wildcards], ['escalation', escalation]] as const) {
    if (exception !== undefined && exception.reason.trim() === '') {
      fail(scope, `${field}.reason is empty: say why this role needs the exception; reviewers read it in the object's annotations.`);
    }
  }
  const rendered = rules.map((rule, i) => {
    const what = `rules[${i}]`;
    for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
      if (rule[field].length === 0) {
        fail(scope, `${what}.${field} is empty: a rule without ${field} grants nothing; list them (use '' for the core API group).`);
      }
      const wildcard = rule[field].find((v) => v.includes('*'));
      if (wildcard !== undefined && wildcards === undefined) {
        fail(scope, `${what}.${field} contains the wildcard ${show(wildcard)}, which grants everything present and future: list the exact ${field} needed, or pass wildcards: { reason: '...' } to allow it explicitly.`);
      }
    }
    for (const resource of rule.resources) {
      if (resource.split('/')[0] === 'podsecuritypolicies') {
        fail(scope, `${what}.resources asks for ${show(resource)}: ${POD_SECURITY_POLICY_REMOVED}`);
      }
    }
    for (const verb of rule.verbs) {
      if (verb !== '*' && !KNOWN_VERBS.includes(verb)) {
        fail(scope, `${what}.verbs contains the unknown verb ${show(verb)}: use one of ${KNOWN_VERBS.map(show).join(', ')}.`);
      }
      if (ESCALATION_VERBS.includes(verb) && escalation === undefined) {
        fail(scope, `${what}.verbs contains ${show(verb)}, which lets the holder gain permissions it does not have: remove it, or pass escalation: { reason: '...' } to allow it explicitly.`);
      }
    }
    const out: NormalizedRbacRule = {
      apiGroups: sortedUnique(rule.apiGroups),
      resources: sortedUnique(rule.resources),
      verbs: sortedUnique(rule.verbs),
    };
    if (rule.resourceNames !== undefined) {
      if (rule.resourceNames.length === 0) {
        fail(scope, `${what}.resourceNames is empty, which Kubernetes reads as every object: leave it out to mean that, or list the names.`);
      }
      return { ...out, resourceNames: sortedUnique(rule.resourceNames) };
    }
    return out;
  });
  if (wildcards !== undefined && !rules.some((r) => [...r.apiGroups, ...r.resources, ...r.verbs].some((v) => v.includes('*')))) {
    fail(scope, 'wildcards was given but no rule uses a wildcard: remove the exception so the role stays reviewable.');
  }
  if (escalation !== undefined && !rules.some((r) => r.verbs.some((v) => ESCALATION_VERBS.includes(v)))) {
    fail(scope, `escalation was given but no rule uses ${ESCALATION_VERBS.map(show).join(', ')}: remove the exception so the role stays reviewable.`);
  }
  return rendered;
}

/** Who a role is granted to: the ServiceAccount of a workload (any `IWorkload` fits). */
export interface RbacSubject {
  /** The ServiceAccount name. */
  readonly serviceAccountName: string;
  /** The ServiceAccount's namespace. @default - the role's namespace (Role) */
  readonly namespace?: string;
}

/** The annotations that record granted exceptions (empty when none). */
export function exceptionAnnotations(wildcards?: RbacException, escalation?: RbacException): Record<string, string> | undefined {
  const annotations: Record<string, string> = {};
  if (escalation !== undefined) annotations[ESCALATION_REASON_ANNOTATION] = escalation.reason;
  if (wildcards !== undefined) annotations[WILDCARD_REASON_ANNOTATION] = wildcards.reason;
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}
