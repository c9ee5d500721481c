/**
 * The review report: what a change to the synthesized tree does to the cluster, as Markdown for a
 * pull-request comment. Objects added, removed and changed (field by field, Secret values
 * masked), policy findings on the head tree, and the traffic the NetworkPolicies allow between
 * workloads as a Mermaid graph with newly allowed flows highlighted. Output is deterministic.
 */
import { TreeObject } from './review/manifest-tree';
import { computeTraffic, Flow } from './review/network-flows';
import { ChangedObject, diffTrees, FieldChange, formatObjectId, ListedObject, TreeDiff } from './review/object-diff';
import { defaultReviewChecks, findingKey, ReviewFinding, ReviewPolicyCheck, sortFindings } from './review/policy-checks';
import { diffTraffic, renderTrafficDiagram, TrafficDiff } from './review/traffic-diagram';

// The public surface is named explicitly (the evaluator's `Flow`/`Workload` stay internal, so
// they cannot clash with lib/network's exports through lib/index.ts).
export { readManifestTree, readManifestTreeFromDir, readManifestTreeFromGitRef } from './review/manifest-tree';
export type { TreeObject, GitTreeOptions } from './review/manifest-tree';
export { podSecurityReviewCheck, defaultReviewChecks } from './review/policy-checks';
export type { ReviewFinding, ReviewPolicyCheck } from './review/policy-checks';

/** Options of {@link renderReviewReport}. */
export interface ReviewReportOptions {
  /** How the base tree is named in the report. @default 'base' */
  readonly baseLabel?: string;
  /** How the head tree is named in the report. @default 'head' */
  readonly headLabel?: string;
  /** The policy checks to run on both trees. @default - Pod Security Standards (restricted) */
  readonly checks?: readonly ReviewPolicyCheck[];
  /** The most field changes listed per object; the rest are counted. @default 50 */
  readonly maxFieldsPerObject?: number;
  /** Longer rendered values are cut with `…`. @default 120 */
  readonly maxValueLength?: number;
  /**
   * The longest report, in characters (a GitHub comment holds 65,536). A longer report first drops
   * the field tables of changed objects (keeping their names and field counts), then is cut with
   * a note. @default 60000
   */
  readonly maxReportLength?: number;
}

/** The masked rendering of a secret value. */
export const SECRET_VALUE_MASK = '***';

/** Everything the report says, before rendering. */
export interface ReviewResult {
  readonly objects: TreeDiff;
  readonly policy: readonly { readonly title: string; readonly findings: readonly (ReviewFinding & { readonly isNew: boolean })[] }[];
  readonly traffic: TrafficDiff;
  /** Workloads of head that no policy isolates, per direction. */
  readonly open: { readonly ingress: readonly string[]; readonly egress: readonly string[] };
  /** The Mermaid source of head's traffic. */
  readonly diagram: string;
}

/** Compare two trees: objects, policy findings (new ones flagged) and traffic. */
export function reviewTrees(base: readonly TreeObject[], head: readonly TreeObject[], options: ReviewReportOptions = {}): ReviewResult {
  const baseObjects = base.map((e) => e.object);
  const headObjects = head.map((e) => e.object);
  const policy = (options.checks ?? defaultReviewChecks()).map((check) => {
    const before = new Set(check.check(baseObjects).map(findingKey));
    const findings = sortFindings(check.check(headObjects)).map((f) => ({ ...f, isNew: !before.has(findingKey(f)) }));
    return { title: check.title, findings };
  });
  const baseTraffic = computeTraffic(baseObjects);
  const headTraffic = computeTraffic(headObjects);
  const traffic = diffTraffic(baseTraffic, headTraffic);
  return {
    objects: diffTrees(base, head),
    policy,
    traffic,
    open: { ingress: headTraffic.openIngress, egress: headTraffic.openEgress },
    diagram: renderTrafficDiagram(headTraffic, traffic),
  };
}

/** Render the review of `base` → `head` as Markdown (`result`: a {@link reviewTrees} result to reuse). */
export function renderReviewReport(
  base: readonly TreeObject[],
  head: readonly TreeObject[],
  options: ReviewReportOptions = {},
  result?: ReviewResult,
): string {
  const r = result ?? reviewTrees(base, head, options);
  const limit = options.maxReportLength ?? 60_000;
  const full = renderMarkdown(r, options, false);
  if (full.length <= limit) return full;
  const compact = renderMarkdown(r, options, true);
  if (compact.length <= limit) return compact;
  const note = '\n\n> [!WARNING]\n> Report cut to fit a pull-request comment: run `cdk8s-guardrails review` locally for all of it.\n';
  return compact.slice(0, Math.max(0, limit - note.length)).replace(/\n[^\n]*$/, '') + note;
}

function renderMarkdown(r: ReviewResult, options: ReviewReportOptions, compact: boolean): string {
  const maxFields = options.maxFieldsPerObject ?? 50;
  const maxLength = options.maxValueLength ?? 120;
  const { added, removed, changed, duplicates } = r.objects;
  const violations = r.policy.reduce((n, p) => n + p.findings.length, 0);
  const newViolations = r.policy.reduce((n, p) => n + p.findings.filter((f) => f.isNew).length, 0);
  const out: string[] = [];
  out.push(`## cdk8s-guardrails review: ${code(options.baseLabel ?? 'base')} → ${code(options.headLabel ?? 'head')}`, '');
  out.push(`- Objects: ${added.length} added, ${removed.length} removed, ${changed.length} changed`);
  out.push(`- Policy: ${violations === 0 ? 'no violations' : `${violations} violation${plural(violations)} (${newViolations} new)`}`);
  out.push(`- Traffic: ${r.traffic.added.length} flow${plural(r.traffic.added.length)} newly allowed, ${r.traffic.removed.length} no longer allowed`);
  out.push('');

  out.push('### Objects', '');
  if (added.length + removed.length + changed.length === 0) out.push('No object changes.', '');
  listObjects(out, 'Added', added);
  listObjects(out, 'Removed', removed);
  if (changed.length > 0) {
    out.push(`#### Changed (${changed.length})`, '');
    if (compact) {
      out.push('*Field tables left out to fit a pull-request comment: run `cdk8s-guardrails review` locally for them.*', '');
      for (const c of changed) out.push(`- ${code(formatObjectId(c.id))}: ${c.changes.length} field${plural(c.changes.length)}`);
      out.push('');
    } else {
      for (const c of changed) renderChanged(out, c, maxFields, maxLength);
    }
  }
  if (duplicates.length > 0) {
    out.push('> [!WARNING]', `> Objects defined more than once (the first one is compared): ${duplicates.map(code).join(', ')}`, '');
  }

  out.push('### Policy', '');
  for (const p of r.policy) {
    if (p.findings.length === 0) {
      out.push(`- ✅ ${p.title}: no violations`);
      continue;
    }
    out.push(`- ❌ ${p.title}: ${p.findings.length} violation${plural(p.findings.length)}`, '');
    out.push('  | Object | Field | Rule | Message | New |', '  |---|---|---|---|---|');
    for (const f of p.findings) {
      out.push(`  | ${cell(f.object)} | ${f.field === undefined ? '' : code(f.field)} | ${cell(f.rule)} | ${cell(f.message)} | ${f.isNew ? 'new' : ''} |`);
    }
    out.push('');
  }
  if (r.policy.length === 0) out.push('No policy checks configured.');
  out.push('');

  out.push('### Traffic', '');
  out.push('Connections the NetworkPolicies allow between workloads in the head tree. Thick red edges are newly allowed.', '');
  out.push('```mermaid', r.diagram, '```', '');
  listFlows(out, 'Newly allowed', r.traffic.added);
  listFlows(out, 'No longer allowed', r.traffic.removed);
  if (r.open.ingress.length + r.open.egress.length > 0) {
    out.push('', '**Not isolated** (no NetworkPolicy selects them, so nothing limits this direction):', '');
    if (r.open.ingress.length > 0) out.push(`- ingress from anywhere: ${r.open.ingress.map(code).join(', ')}`);
    if (r.open.egress.length > 0) out.push(`- egress to anywhere: ${r.open.egress.map(code).join(', ')}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function listObjects(out: string[], title: string, objects: readonly ListedObject[]): void {
  if (objects.length === 0) return;
  out.push(`#### ${title} (${objects.length})`, '');
  for (const o of objects) out.push(`- ${code(formatObjectId(o.id))} in ${code(o.file)}`);
  out.push('');
}

function listFlows(out: string[], title: string, flows: readonly Flow[]): void {
  out.push(`**${title}** (${flows.length})${flows.length === 0 ? ': none' : ''}`, '');
  for (const f of flows) out.push(`- ${code(f.from)} → ${code(f.to)} on ${code(f.port)}`);
  if (flows.length > 0) out.push('');
}

function renderChanged(out: string[], c: ChangedObject, maxFields: number, maxLength: number): void {
  out.push(`<details><summary><code>${html(formatObjectId(c.id))}</code>: ${c.changes.length} field${plural(c.changes.length)} (${html(c.file)})</summary>`, '');
  out.push('| Field | Base | Head |', '|---|---|---|');
  for (const change of c.changes.slice(0, maxFields)) out.push(renderChange(change, maxLength));
  if (c.changes.length > maxFields) out.push(`| … and ${c.changes.length - maxFields} more | | |`);
  out.push('', '</details>', '');
}

function renderChange(change: FieldChange, maxLength: number): string {
  const show = (v: unknown): string => {
    if (v === undefined) return '*(absent)*';
    if (change.masked) return code(maskValue(v));
    const json = JSON.stringify(v);
    return code(json.length > maxLength ? `${json.slice(0, maxLength - 1)}…` : json);
  };
  // Both sides masked would read `***` → `***`: say that the value changed.
  const changedSecret = change.masked && change.before !== undefined && change.after !== undefined ? ' (changed)' : '';
  return `| ${code(change.path)} | ${show(change.before)} | ${show(change.after)}${changedSecret} |`;
}

/** A secret value with every leaf replaced by {@link SECRET_VALUE_MASK} (keys stay visible). */
function maskValue(value: unknown): string {
  const mask = (v: unknown): unknown => (v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, mask((v as any)[k])]))
    : SECRET_VALUE_MASK);
  const masked = mask(value);
  return typeof masked === 'string' ? masked : JSON.stringify(masked);
}

/** A Markdown code span that survives a table cell. */
function code(text: string): string {
  const fence = text.includes('`') ? '``' : '`';
  const pad = text.includes('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/\n/g, ' ')}${pad}${fence}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
