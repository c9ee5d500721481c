/**
 * The risk summary of the review report: the changes a reviewer must not miss, found in the
 * object, policy and traffic differences of each target, each pointing at its diff.
 */
import { SUPPRESSION_ANNOTATION_PREFIX } from '../../policy/policy-pack';
import { compareStrings } from '../manifest-files';
import { ANY_POD, ANYWHERE, Flow } from './network-flows';
import { ChangedObject, formatObjectId, ListedObject, ObjectId } from './object-diff';
import { ReviewFinding } from './policy-checks';

/** What kind of risk a line of the summary is, in the order the summary lists them. */
export type RiskCategory = 'exposure' | 'traffic' | 'network-policy' | 'rbac' | 'policy' | 'image' | 'capacity' | 'deleted';

/** The headings of the categories, in order. */
export const RISK_CATEGORIES: readonly { readonly category: RiskCategory; readonly title: string }[] = [
  { category: 'exposure', title: 'New or widened exposure' },
  { category: 'traffic', title: 'New traffic allowed' },
  { category: 'network-policy', title: 'NetworkPolicies removed' },
  { category: 'rbac', title: 'RBAC widened' },
  { category: 'policy', title: 'Policy findings or suppressions added' },
  { category: 'image', title: 'Images changed' },
  { category: 'capacity', title: 'Replicas or resources changed' },
  { category: 'deleted', title: 'Objects deleted' },
];

/** Where a risk's diff is in the report. */
export type RiskLink =
  | { readonly section: 'object'; readonly target: string; readonly id: ObjectId }
  | { readonly section: 'objects' | 'traffic' | 'policy'; readonly target: string };

/** One line of the risk summary. */
export interface Risk {
  readonly category: RiskCategory;
  readonly target: string;
  /** Markdown (inline code spans only). */
  readonly message: string;
  readonly link: RiskLink;
}

/** The differences of one target that risks are found in. */
export interface TargetChanges {
  readonly target: string;
  readonly added: readonly ListedObject[];
  readonly removed: readonly ListedObject[];
  readonly changed: readonly ChangedObject[];
  readonly addedFlows: readonly Flow[];
  readonly newFindings: readonly (ReviewFinding & { readonly check: string })[];
}

/** Annotations that keep a cloud load balancer off the internet, by key and value. */
export const INTERNAL_LOAD_BALANCER_ANNOTATIONS: Readonly<Record<string, string>> = {
  'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
  'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
  'service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type': 'intranet',
  'service.beta.kubernetes.io/azure-load-balancer-internal': 'true',
  'networking.gke.io/load-balancer-type': 'Internal',
};

/** The most lines per category and target; the rest are counted on one line. */
const MAX_LINES = 20;

const code = (text: string): string => (text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``);
const json = (v: unknown): string => (v === undefined ? 'absent' : JSON.stringify(v));

function annotations(o: any): Record<string, string> {
  const a = o?.metadata?.annotations;
  return a !== null && typeof a === 'object' ? a : {};
}

/** The value at a JSON pointer. */
function at(object: unknown, pointer: string): unknown {
  let v: any = object;
  for (const raw of pointer.split('/').slice(1)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[raw.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

function isSuppressionKey(key: string): boolean {
  return key.startsWith(SUPPRESSION_ANNOTATION_PREFIX) || /(^|[./])suppress\./.test(key);
}

/** Every (apiGroup, resource, verb, resourceName) a Role or ClusterRole grants, as text. */
function grants(role: any): Set<string> {
  const out = new Set<string>();
  for (const rule of Array.isArray(role?.rules) ? role.rules : []) {
    const verbs: string[] = rule?.verbs ?? [];
    for (const url of rule?.nonResourceURLs ?? []) for (const verb of verbs) out.add(`${verb} ${url}`);
    for (const group of rule?.apiGroups ?? []) {
      for (const resource of rule?.resources ?? []) {
        const qualified = group === '' ? resource : `${resource}.${group}`;
        const names: string[] = rule?.resourceNames ?? [];
        for (const verb of verbs) {
          if (names.length === 0) out.add(`${verb} ${qualified}`);
          for (const name of names) out.add(`${verb} ${qualified}/${name}`);
        }
      }
    }
  }
  return out;
}

function subjects(binding: any): Set<string> {
  const ref = binding?.roleRef;
  const role = `${ref?.kind ?? ''} ${ref?.name ?? ''}`;
  return new Set((Array.isArray(binding?.subjects) ? binding.subjects : [])
    .map((s: any) => `${s?.kind ?? ''} ${s?.namespace ? `${s.namespace}/` : ''}${s?.name ?? ''} → ${role}`));
}

function ingressHosts(ingress: any): Set<string> {
  return new Set((Array.isArray(ingress?.spec?.rules) ? ingress.spec.rules : []).map((r: any) => (typeof r?.host === 'string' ? r.host : '*')));
}

/** `(anywhere)` or a CIDR (workload ids are `<namespace>/<name>`, and a namespace has no dots or colons). */
const isOutside = (endpoint: string): boolean => endpoint === ANYWHERE || /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:.]*)\/\d+/.test(endpoint);

/** The risks of one target's changes, in category order. */
export function findRisks(changes: TargetChanges): Risk[] {
  const { target } = changes;
  const byCategory = new Map<RiskCategory, Risk[]>(RISK_CATEGORIES.map((c) => [c.category, []]));
  const push = (category: RiskCategory, message: string, link: RiskLink): void => {
    byCategory.get(category)!.push({ category, target, message, link });
  };
  const objectLink = (id: ObjectId): RiskLink => ({ section: 'object', target, id });
  const heads: { id: ObjectId; before: any; after: any }[] = [
    ...changes.added.map((a) => ({ id: a.id, before: undefined, after: a.object })),
    ...changes.changed.map((c) => ({ id: c.id, before: c.before, after: c.after })),
  ];

  for (const { id, before, after } of heads) {
    const name = code(formatObjectId(id));
    if (id.kind === 'Service') {
      const type = after?.spec?.type ?? 'ClusterIP';
      const was = before === undefined ? undefined : (before?.spec?.type ?? 'ClusterIP');
      if ((type === 'LoadBalancer' || type === 'NodePort') && type !== was) {
        push('exposure', `${name} is exposed as ${code(type)} (${was === undefined ? 'new Service' : `was ${code(was)}`})`, objectLink(id));
      }
      if (before !== undefined) {
        const old = annotations(before);
        const now = annotations(after);
        for (const [key, value] of Object.entries(INTERNAL_LOAD_BALANCER_ANNOTATIONS)) {
          if (String(old[key]).toLowerCase() === value.toLowerCase() && String(now[key]).toLowerCase() !== value.toLowerCase()) {
            push('exposure', `${name}: internal load balancer annotation ${code(`${key}: ${value}`)} removed (now ${code(json(now[key]))}); the load balancer may face the internet`, objectLink(id));
          }
        }
      }
    }
    if (id.kind === 'Ingress') {
      const old = before === undefined ? new Set<string>() : ingressHosts(before);
      for (const host of [...ingressHosts(after)].sort(compareStrings)) {
        if (!old.has(host)) push('exposure', `${name} serves the new host ${code(host)}`, objectLink(id));
      }
    }
    if (id.kind === 'Role' || id.kind === 'ClusterRole') {
      const old = before === undefined ? new Set<string>() : grants(before);
      const added = [...grants(after)].filter((g) => !old.has(g)).sort(compareStrings);
      if (added.length > 0) {
        const shown = added.slice(0, 5).map(code).join(', ');
        push('rbac', `${name} ${before === undefined ? 'is new and grants' : 'now also grants'} ${shown}${added.length > 5 ? ` and ${added.length - 5} more` : ''}`, objectLink(id));
      }
    }
    if (id.kind === 'RoleBinding' || id.kind === 'ClusterRoleBinding') {
      const old = before === undefined ? new Set<string>() : subjects(before);
      const added = [...subjects(after)].filter((s) => !old.has(s)).sort(compareStrings);
      if (added.length > 0) push('rbac', `${name} ${before === undefined ? 'is new and binds' : 'now also binds'} ${added.map(code).join(', ')}`, objectLink(id));
    }
    const oldAnnotations = before === undefined ? {} : annotations(before);
    for (const [key, reason] of Object.entries(annotations(after)).sort(([a], [b]) => compareStrings(a, b))) {
      if (isSuppressionKey(key) && !(key in oldAnnotations)) {
        push('policy', `${name}: suppression ${code(key)} added (${code(String(reason))})`, objectLink(id));
      }
    }
  }

  for (const c of changes.changed) {
    const name = code(formatObjectId(c.id));
    const capacity: string[] = [];
    for (const change of c.changes) {
      if (/\/image$/.test(change.path) && !change.masked) {
        const container = at(c.after, change.path.replace(/\/image$/, '/name')) ?? at(c.before, change.path.replace(/\/image$/, '/name'));
        push('image', `${name} container ${code(String(container ?? change.path))}: ${code(json(change.before))} → ${code(json(change.after))}`, objectLink(c.id));
      } else if (!change.masked && (/^\/spec\/(replicas|minReplicas|maxReplicas|minAvailable|maxUnavailable)$/.test(change.path) || /\/resources(\/|$)/.test(change.path))) {
        capacity.push(`${code(change.path)} ${code(json(change.before))} → ${code(json(change.after))}`);
      }
    }
    if (capacity.length > 0) {
      push('capacity', `${name}: ${capacity.slice(0, 4).join(', ')}${capacity.length > 4 ? ` and ${capacity.length - 4} more` : ''}`, objectLink(c.id));
    }
  }

  for (const f of changes.addedFlows) {
    const outside = isOutside(f.from) ? ' (from outside the cluster)' : f.from === ANY_POD ? ' (from any pod)'
      : isOutside(f.to) ? ' (to outside the cluster)' : f.to === ANY_POD ? ' (to any pod)' : '';
    push('traffic', `${code(f.from)} → ${code(f.to)} on ${code(f.port)}${outside}`, { section: 'traffic', target });
  }
  for (const r of changes.removed) {
    const category: RiskCategory = /NetworkPolicy$/.test(r.id.kind) ? 'network-policy' : 'deleted';
    push(category, `${code(formatObjectId(r.id))} (was in ${code(r.file)})`, objectLink(r.id));
  }
  for (const f of changes.newFindings) {
    push('policy', `new ${f.check} finding on ${code(f.object)}: ${f.rule}${f.field === undefined ? '' : ` at ${code(f.field)}`}`, { section: 'policy', target });
  }

  const out: Risk[] = [];
  for (const { category } of RISK_CATEGORIES) {
    const list = byCategory.get(category)!;
    out.push(...list.slice(0, MAX_LINES));
    if (list.length > MAX_LINES) {
      const last = list[list.length - 1];
      out.push({ category, target, message: `… and ${list.length - MAX_LINES} more`, link: last.link.section === 'object' ? { section: 'objects', target } : last.link });
    }
  }
  return out;
}
