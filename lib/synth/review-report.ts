/**
 * The review report: what a change to the synthesized tree does to the cluster, as Markdown for a
 * pull-request comment. First a risk summary (what a reviewer must not miss, each line linking to
 * its diff), then per deployment target (a folder holding a kustomization): objects added,
 * removed and changed (field by field, Secret values masked), policy findings on the head tree,
 * and the traffic the NetworkPolicies allow between workloads as a Mermaid graph with newly
 * allowed flows highlighted. Output is deterministic; the work is linear in the trees' size.
 */
import { compareStrings } from './manifest-files';
import { ROOT_TARGET, TreeObject } from './review/manifest-tree';
import { computeTraffic, Flow, TrafficModel } from './review/network-flows';
import { ChangedObject, diffTrees, FieldChange, formatObjectId, ListedObject, ObjectId, TreeDiff } from './review/object-diff';
import { defaultReviewChecks, findingKey, ReviewFinding, ReviewPolicyCheck, sortFindings } from './review/policy-checks';
import { findRisks, Risk, RISK_CATEGORIES, RiskLink } from './review/risks';
import { diffTraffic, renderTrafficDiagramWithCount, TrafficDiff } from './review/traffic-diagram';

// The public surface is named explicitly (the evaluator's `Flow`/`Workload` stay internal, so
// they cannot clash with lib/network's exports through lib/index.ts).
export { readManifestTree, readManifestTreeFromDir, readManifestTreeFromGitRef } from './review/manifest-tree';
export type { TreeObject, GitTreeOptions } from './review/manifest-tree';
export type { Risk, RiskCategory, RiskLink } from './review/risks';
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

/** A policy finding of head, flagged when base did not have it. */
export type ReviewedFinding = ReviewFinding & { readonly isNew: boolean };

/** The review of one deployment target (a folder holding a kustomization, or the tree's root). */
export interface TargetReview {
  /** The target's folder relative to the tree's root (`.` for the root). */
  readonly target: string;
  /** Whether the target is new, gone, changed or the same in head. */
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Objects of head in this target. */
  readonly objectCount: number;
  readonly objects: TreeDiff;
  readonly policy: readonly { readonly title: string; readonly findings: readonly ReviewedFinding[] }[];
  /** Flows newly allowed and no longer allowed (empty when no object of the target changed). */
  readonly traffic: TrafficDiff;
  /** Workloads of head that no policy isolates, per direction. */
  readonly open: { readonly ingress: readonly string[]; readonly egress: readonly string[] };
  /** The Mermaid source of head's traffic ('' when no object of the target changed). */
  readonly diagram: string;
  /** Edges of head's traffic left out of the diagram (it draws at most 200). */
  readonly omittedEdges: number;
}

/** Everything the report says, before rendering. */
export interface ReviewResult {
  /** Every target of either tree, sorted. */
  readonly targets: readonly TargetReview[];
  /** What a reviewer must not miss, in category order, each pointing at its diff. */
  readonly risks: readonly Risk[];
}

/** The number of policy findings in head (`newOnly`: only those base does not have). */
export function countFindings(result: ReviewResult, newOnly = false): number {
  return result.targets.reduce((n, t) => n + t.policy.reduce((m, p) => m + p.findings.filter((f) => !newOnly || f.isNew).length, 0), 0);
}

/** Group a tree's objects by target. */
function byTarget(tree: readonly TreeObject[]): Map<string, TreeObject[]> {
  const out = new Map<string, TreeObject[]>();
  for (const e of tree) {
    const t = e.target ?? ROOT_TARGET;
    const list = out.get(t);
    if (list === undefined) out.set(t, [e]);
    else list.push(e);
  }
  return out;
}

const EMPTY_MODEL: TrafficModel = { workloads: [], externals: [], flows: [], openIngress: [], openEgress: [] };

/**
 * Compare two trees target by target: objects, policy findings (new ones flagged), traffic, and
 * the risk summary. An object defined twice in one target of either tree throws, naming both
 * places. Work grows linearly with the trees: unchanged targets are not re-evaluated for traffic.
 */
export function reviewTrees(base: readonly TreeObject[], head: readonly TreeObject[], options: ReviewReportOptions = {}): ReviewResult {
  const diff = diffTrees(base, head, { base: options.baseLabel ?? 'base', head: options.headLabel ?? 'head' });
  const checks = options.checks ?? defaultReviewChecks();
  const baseTargets = byTarget(base);
  const headTargets = byTarget(head);
  const names = [...new Set([...baseTargets.keys(), ...headTargets.keys()])].sort(compareStrings);
  const targets: TargetReview[] = [];
  const risks: Risk[] = [];
  const grouped = {
    added: groupBy(diff.added), removed: groupBy(diff.removed), changed: groupBy(diff.changed),
  };
  for (const target of names) {
    const baseObjects = (baseTargets.get(target) ?? []).map((e) => e.object);
    const headObjects = (headTargets.get(target) ?? []).map((e) => e.object);
    const objects: TreeDiff = {
      added: grouped.added.get(target) ?? [], removed: grouped.removed.get(target) ?? [], changed: grouped.changed.get(target) ?? [],
    };
    const touched = objects.added.length + objects.removed.length + objects.changed.length > 0;
    const status = !baseTargets.has(target) ? 'added' : !headTargets.has(target) ? 'removed' : touched ? 'changed' : 'unchanged';
    const policy = checks.map((check) => {
      const findings = sortFindings(check.check(headObjects));
      const before = touched ? new Set(check.check(baseObjects).map(findingKey)) : new Set(findings.map(findingKey));
      return { title: check.title, findings: findings.map((f) => ({ ...f, isNew: !before.has(findingKey(f)) })) };
    });
    let traffic: TrafficDiff = { added: [], removed: [] };
    let open = { ingress: [] as readonly string[], egress: [] as readonly string[] };
    let diagram = '';
    let omittedEdges = 0;
    if (touched) {
      const baseTraffic = baseObjects.length > 0 ? computeTraffic(baseObjects) : EMPTY_MODEL;
      const headTraffic = headObjects.length > 0 ? computeTraffic(headObjects) : EMPTY_MODEL;
      traffic = diffTraffic(baseTraffic, headTraffic);
      open = { ingress: headTraffic.openIngress, egress: headTraffic.openEgress };
      const rendered = renderTrafficDiagramWithCount(headTraffic, traffic, `t${targets.length}`);
      diagram = rendered.diagram;
      omittedEdges = rendered.omitted;
    }
    targets.push({ target, status, objectCount: headObjects.length, objects, policy, traffic, open, diagram, omittedEdges });
    risks.push(...findRisks({
      target,
      added: objects.added,
      removed: objects.removed,
      changed: objects.changed,
      addedFlows: traffic.added,
      newFindings: policy.flatMap((p) => p.findings.filter((f) => f.isNew).map((f) => ({ ...f, check: p.title }))),
    }));
  }
  const order = new Map(RISK_CATEGORIES.map((c, i) => [c.category, i]));
  // Stable sort: by category, then target (already in order), then as found.
  const sortedRisks = risks.map((r, i) => ({ r, i }))
    .sort((a, b) => order.get(a.r.category)! - order.get(b.r.category)! || a.i - b.i)
    .map((x) => x.r);
  return { targets, risks: sortedRisks };
}

function groupBy<T extends { target: string }>(list: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of list) {
    const l = out.get(x.target);
    if (l === undefined) out.set(x.target, [x]);
    else l.push(x);
  }
  return out;
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

/** The first line of every report: CI finds the comment to update by it. */
export const REVIEW_REPORT_MARKER = '<!-- cdk8s-guardrails-review -->';

/** Anchor names, unique within one report. */
class Anchors {
  private readonly byKey = new Map<string, string>();
  private readonly used = new Set<string>();
  public get(key: string): string {
    let name = this.byKey.get(key);
    if (name === undefined) {
      const slug = `review-${key.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`.slice(0, 120);
      name = slug;
      for (let i = 2; this.used.has(name); i++) name = `${slug}-${i}`;
      this.used.add(name);
      this.byKey.set(key, name);
    }
    return name;
  }
}

function objectKey(target: string, id: ObjectId): string {
  return `${target} ${formatObjectId(id)}`;
}

function riskAnchor(anchors: Anchors, link: RiskLink): string {
  return link.section === 'object' ? anchors.get(objectKey(link.target, link.id)) : anchors.get(`${link.target} ${link.section}`);
}

function renderMarkdown(r: ReviewResult, options: ReviewReportOptions, compact: boolean): string {
  const maxFields = options.maxFieldsPerObject ?? 50;
  const maxLength = options.maxValueLength ?? 120;
  const anchors = new Anchors();
  const sum = (f: (t: TargetReview) => number): number => r.targets.reduce((n, t) => n + f(t), 0);
  const added = sum((t) => t.objects.added.length);
  const removed = sum((t) => t.objects.removed.length);
  const changed = sum((t) => t.objects.changed.length);
  const violations = countFindings(r);
  const newViolations = countFindings(r, true);
  const flowsAdded = sum((t) => t.traffic.added.length);
  const flowsRemoved = sum((t) => t.traffic.removed.length);
  const touched = r.targets.filter((t) => t.status !== 'unchanged');
  const out: string[] = [REVIEW_REPORT_MARKER];
  out.push(`## cdk8s-guardrails review: ${code(options.baseLabel ?? 'base')} → ${code(options.headLabel ?? 'head')}`, '');
  out.push(`- Targets: ${r.targets.length}, ${touched.length} changed${touched.length > 0 ? `: ${touched.map((t) => code(t.target)).join(', ')}` : ''}`);
  out.push(`- Objects: ${added} added, ${removed} removed, ${changed} changed`);
  out.push(`- Policy: ${violations === 0 ? 'no violations' : `${violations} violation${plural(violations)} (${newViolations} new)`}`);
  out.push(`- Traffic: ${flowsAdded} flow${plural(flowsAdded)} newly allowed, ${flowsRemoved} no longer allowed`);
  out.push('');

  out.push('### Review first', '');
  if (r.risks.length === 0) {
    out.push('Nothing to look at first: no new exposure or traffic, no NetworkPolicy removed, no RBAC widened, no new policy finding or suppression, no image, replica or resource change, no object deleted.', '');
  }
  for (const { category, title } of RISK_CATEGORIES) {
    const list = r.risks.filter((x) => x.category === category);
    if (list.length === 0) continue;
    out.push(`**${title}** (${list.filter((x) => !x.message.startsWith('…')).length})`, '');
    for (const risk of list) out.push(`- ${code(risk.target)}: ${risk.message} ([diff](#${riskAnchor(anchors, risk.link)}))`);
    out.push('');
  }

  for (const t of touched) {
    out.push(`### Target ${code(t.target)}${t.status === 'added' ? ' (new)' : t.status === 'removed' ? ' (removed)' : ''}`, '');
    out.push(`<a name="${anchors.get(`${t.target} objects`)}"></a>`, '', '#### Objects', '');
    listObjects(out, anchors, t.target, 'Added', t.objects.added);
    listObjects(out, anchors, t.target, 'Removed', t.objects.removed);
    if (t.objects.changed.length > 0) {
      out.push(`##### Changed (${t.objects.changed.length})`, '');
      if (compact) {
        out.push('*Field tables left out to fit a pull-request comment: run `cdk8s-guardrails review` locally for them.*', '');
        for (const c of t.objects.changed) out.push(`- <a name="${anchors.get(objectKey(t.target, c.id))}"></a>${code(formatObjectId(c.id))}: ${c.changes.length} field${plural(c.changes.length)}`);
        out.push('');
      } else {
        for (const c of t.objects.changed) renderChanged(out, anchors.get(objectKey(t.target, c.id)), c, maxFields, maxLength);
      }
    }
    out.push(`<a name="${anchors.get(`${t.target} policy`)}"></a>`, '', '#### Policy', '');
    renderPolicy(out, t);
    out.push(`<a name="${anchors.get(`${t.target} traffic`)}"></a>`, '', '#### Traffic', '');
    if (t.status === 'removed') {
      out.push('The target is gone from head.', '');
    } else {
      out.push('Connections the NetworkPolicies allow between workloads in the head tree. Thick red edges are newly allowed.', '');
      out.push('```mermaid', t.diagram, '```', '');
      if (t.omittedEdges > 0) out.push(`*${t.omittedEdges} edge${plural(t.omittedEdges)} without a newly allowed port left out of the diagram (it draws at most 200).*`, '');
    }
    listFlows(out, 'Newly allowed', t.traffic.added);
    listFlows(out, 'No longer allowed', t.traffic.removed);
    if (t.open.ingress.length + t.open.egress.length > 0) {
      out.push('', '**Not isolated** (no NetworkPolicy selects them, so nothing limits this direction):', '');
      if (t.open.ingress.length > 0) out.push(`- ingress from anywhere: ${t.open.ingress.map(code).join(', ')}`);
      if (t.open.egress.length > 0) out.push(`- egress to anywhere: ${t.open.egress.map(code).join(', ')}`);
      out.push('');
    }
  }
  const unchanged = r.targets.filter((t) => t.status === 'unchanged');
  if (unchanged.length > 0) {
    out.push('### Unchanged targets', '');
    for (const t of unchanged) {
      const n = t.policy.reduce((m, p) => m + p.findings.length, 0);
      out.push(`- ${code(t.target)}: ${t.objectCount} object${plural(t.objectCount)}, ${n === 0 ? 'no policy violations' : `${n} policy violation${plural(n)} (none new)`}`);
    }
    out.push('');
  }
  if (r.targets.length === 0) out.push('Both trees are empty.', '');
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

function renderPolicy(out: string[], t: TargetReview): void {
  for (const p of t.policy) {
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
  if (t.policy.length === 0) out.push('No policy checks configured.');
  out.push('');
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

function listObjects(out: string[], anchors: Anchors, target: string, title: string, objects: readonly ListedObject[]): void {
  if (objects.length === 0) return;
  out.push(`##### ${title} (${objects.length})`, '');
  for (const o of objects) out.push(`- <a name="${anchors.get(objectKey(target, o.id))}"></a>${code(formatObjectId(o.id))} in ${code(o.file)}`);
  out.push('');
}

function listFlows(out: string[], title: string, flows: readonly Flow[]): void {
  out.push(`**${title}** (${flows.length})${flows.length === 0 ? ': none' : ''}`, '');
  for (const f of flows) out.push(`- ${code(f.from)} → ${code(f.to)} on ${code(f.port)}`);
  if (flows.length > 0) out.push('');
}

function renderChanged(out: string[], anchor: string, c: ChangedObject, maxFields: number, maxLength: number): void {
  out.push(`<a name="${anchor}"></a>`, '', `<details><summary><code>${html(formatObjectId(c.id))}</code>: ${c.changes.length} field${plural(c.changes.length)} (${html(c.file)})</summary>`, '');
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
