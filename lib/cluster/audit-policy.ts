import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { addConfigDocument } from './config-document';
import { requireNodePath } from './node-path';

/** How much of a request the API server records. */
export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';

const LEVELS: readonly AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** Resources of one API group an audit rule matches. */
export interface AuditGroupResources {
  /** The API group: `''` for the core group. */
  readonly group: string;
  /** Resource names (`pods`, `pods/exec`); empty matches every resource of the group. @default - every resource of the group */
  readonly resources?: readonly string[];
  /** Object names. @default - any name */
  readonly resourceNames?: readonly string[];
}

/** One audit policy rule (`audit.k8s.io/v1` PolicyRule); the first rule that matches a request decides its level. */
export interface AuditRule {
  /** The level of requests this rule matches. */
  readonly level: AuditLevel;
  /** Users it matches. @default - any user */
  readonly users?: readonly string[];
  /** Groups of users it matches. @default - any group */
  readonly userGroups?: readonly string[];
  /** Verbs it matches (`get`, `create`, `watch`...). @default - any verb */
  readonly verbs?: readonly string[];
  /** Resources it matches. @default - every resource request (and no non-resource URL when nonResourceUrls is set) */
  readonly resources?: readonly AuditGroupResources[];
  /** Non-resource URL paths it matches (`/healthz*`). @default - none */
  readonly nonResourceUrls?: readonly string[];
  /** Namespaces it matches (`''` for cluster-scoped objects). @default - any namespace */
  readonly namespaces?: readonly string[];
}

/** Props of {@link AuditPolicy}. */
export interface AuditPolicyProps {
  /** Where the installer puts the file on each control-plane node (`--audit-policy-file`). @default '/etc/kubernetes/audit-policy.yaml' */
  readonly nodePath?: string;
  /** The level of requests no rule matches. @default 'Metadata' */
  readonly defaultLevel?: AuditLevel;
}

/** Resources whose bodies carry credentials: never recorded above Metadata. */
const SENSITIVE: readonly { group: string; resource: string }[] = [
  { group: '', resource: 'secrets' },
  { group: '', resource: 'configmaps' },
  { group: 'authentication.k8s.io', resource: 'tokenreviews' },
  { group: '', resource: 'serviceaccounts/token' },
];

/** Read-only, high-volume requests that say nothing about who changed what. */
const NOISY_RULES: readonly AuditRule[] = [
  { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'], resources: [{ group: '', resources: ['endpoints', 'services', 'services/status'] }, { group: 'discovery.k8s.io', resources: ['endpointslices'] }] },
  { level: 'None', userGroups: ['system:nodes'], verbs: ['get'], resources: [{ group: '', resources: ['nodes', 'nodes/status'] }] },
  { level: 'None', users: ['system:kube-controller-manager', 'system:kube-scheduler'], verbs: ['get', 'update'], namespaces: ['kube-system'], resources: [{ group: 'coordination.k8s.io', resources: ['leases'] }] },
  { level: 'None', nonResourceUrls: ['/healthz*', '/livez*', '/readyz*', '/version', '/metrics', '/openapi*'] },
  { level: 'None', resources: [{ group: '', resources: ['events'] }, { group: 'events.k8s.io', resources: ['events'] }] },
];

/** Changes to who may do what, and interactive access to containers: recorded in full. */
const FULL_RULES: readonly AuditRule[] = [
  { level: 'RequestResponse', verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'], resources: [{ group: 'rbac.authorization.k8s.io' }] },
  { level: 'RequestResponse', resources: [{ group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/ephemeralcontainers'] }] },
];

/**
 * The API server audit policy (`audit.k8s.io/v1` Policy, `--audit-policy-file`; CIS Kubernetes
 * Benchmark v1.8.0, 3.2.1 and 3.2.2). Rules, first match wins:
 * 1. Secrets, ConfigMaps, TokenReviews and ServiceAccount token requests at `Metadata`: who touched
 *    which object, never its data.
 * 2. RBAC changes and `exec`/`attach`/`port-forward` at `RequestResponse`.
 * 3. Noisy read-only traffic (kube-proxy watches, node status reads, leader-election leases,
 *    health and metrics endpoints, events) dropped.
 * 4. Rules added with {@link addRule}, in order.
 * 5. Everything else at `defaultLevel` (Metadata).
 * The `RequestReceived` stage is omitted (each request is recorded once it has a response).
 * A rule that would record request or response bodies of the sensitive resources is refused.
 */
export class AuditPolicy extends Construct {
  /** Where the file goes on each control-plane node. */
  public readonly nodePath: string;
  /** The level of requests no rule matches. */
  public readonly defaultLevel: AuditLevel;
  private readonly added: AuditRule[] = [];

  constructor(scope: Construct, id: string, props: AuditPolicyProps = {}) {
    super(scope, id);
    this.nodePath = requireNodePath(this, 'nodePath', props.nodePath ?? '/etc/kubernetes/audit-policy.yaml');
    this.defaultLevel = props.defaultLevel ?? 'Metadata';
    this.requireSafe('defaultLevel', { level: this.defaultLevel });
    addConfigDocument(this, 'Resource', 'audit.k8s.io/v1', 'Policy', {
      omitStages: ['RequestReceived'],
      rules: Lazy.any({ produce: () => this.rules().map(renderRule) }),
    });
  }

  /** Adds a rule after the built-in ones and before the default; refuses one that would log Secret bodies. */
  public addRule(rule: AuditRule): this {
    this.requireSafe(`rule #${this.added.length}`, rule);
    this.added.push(rule);
    return this;
  }

  /** Every rule, in the order the API server evaluates them. */
  public rules(): AuditRule[] {
    return [
      { level: 'Metadata', resources: sensitiveResources() },
      ...FULL_RULES,
      ...NOISY_RULES,
      ...this.added,
      { level: this.defaultLevel },
    ];
  }

  private requireSafe(what: string, rule: AuditRule): void {
    if (!LEVELS.includes(rule.level)) {
      fail(this, `${what} level ${show(rule.level)} is not an audit level: use one of ${LEVELS.map(show).join(', ')}.`);
    }
    for (const g of rule.resources ?? []) {
      if ((g.resources ?? []).some((r) => r.trim() === '')) fail(this, `${what} has an empty resource name in group ${show(g.group)}: name the resource or leave resources unset for the whole group.`);
    }
    if (rule.level !== 'Request' && rule.level !== 'RequestResponse') return;
    if (rule.nonResourceUrls !== undefined && rule.resources === undefined) return;
    const hits = SENSITIVE.filter((s) => matchesResource(rule, s.group, s.resource));
    if (hits.length > 0) {
      const names = hits.map((h) => (h.group === '' ? h.resource : `${h.resource}.${h.group}`));
      fail(this, `${what} records ${names.map(show).join(', ')} at ${show(rule.level)}, which writes their data (passwords, keys, tokens) into the audit log: use level 'Metadata' for them, or name the resources the rule is for.`);
    }
  }
}

function sensitiveResources(): AuditGroupResources[] {
  const groups = [...new Set(SENSITIVE.map((s) => s.group))];
  return groups.map((group) => ({ group, resources: SENSITIVE.filter((s) => s.group === group).map((s) => s.resource) }));
}

/** Whether `rule` can match requests for `group`/`resource` (`pods/exec` style for subresources). */
function matchesResource(rule: AuditRule, group: string, resource: string): boolean {
  if (rule.resources === undefined) return true;
  const [base, sub] = resource.split('/');
  const entryMatches = (r: string) => r === '*' || r === resource || (sub !== undefined && (r === `${base}/*` || r === `*/${sub}`));
  return rule.resources.some((g) => g.group === group && (g.resources === undefined || g.resources.length === 0 || g.resources.some(entryMatches)));
}

function renderRule(rule: AuditRule): Record<string, unknown> {
  return {
    level: rule.level,
    users: rule.users === undefined ? undefined : [...rule.users],
    userGroups: rule.userGroups === undefined ? undefined : [...rule.userGroups],
    verbs: rule.verbs === undefined ? undefined : [...rule.verbs],
    namespaces: rule.namespaces === undefined ? undefined : [...rule.namespaces],
    nonResourceURLs: rule.nonResourceUrls === undefined ? undefined : [...rule.nonResourceUrls],
    resources: rule.resources?.map((g) => ({
      group: g.group,
      resources: g.resources === undefined ? undefined : [...g.resources],
      resourceNames: g.resourceNames === undefined ? undefined : [...g.resourceNames],
    })),
  };
}
