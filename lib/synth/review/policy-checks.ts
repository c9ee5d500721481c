/**
 * Policy checks the review report runs on the head tree. A check is any object with a name and a
 * function from manifests to findings, so more policy engines (the CEL rules, kube-linter output,
 * ...) plug in by passing them to `renderReviewReport({ checks })`.
 */
import { checkPodSecurityOfManifests, PodSecurityLevel } from '../../policy/pod-security-standards';
import { compareStrings } from '../manifest-files';

/** One finding of a policy check. */
export interface ReviewFinding {
  /** The object, e.g. `Deployment production/user-service`. */
  readonly object: string;
  /** The rule or control that is broken. */
  readonly rule: string;
  /** The offending field, when the check knows it. */
  readonly field?: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/** A policy check the review report runs. */
export interface ReviewPolicyCheck {
  /** The heading of its section, e.g. `Pod Security Standards (restricted)`. */
  readonly title: string;
  /** Every finding for these manifests; none means the tree passes. */
  check(manifests: readonly any[]): ReviewFinding[];
}

/** The Pod Security Standards checker of `lib/policy`, as a review check. */
export function podSecurityReviewCheck(level: PodSecurityLevel = 'restricted'): ReviewPolicyCheck {
  return {
    title: `Pod Security Standards (${level})`,
    check: (manifests) => checkPodSecurityOfManifests(manifests, level)
      .map((v) => ({ object: v.where, rule: v.rule, field: v.field, message: v.message })),
  };
}

/** The checks the report runs when none are given. */
export function defaultReviewChecks(): ReviewPolicyCheck[] {
  return [podSecurityReviewCheck('restricted')];
}

/** A finding's identity, to tell findings new in head from findings already in base. */
export function findingKey(f: ReviewFinding): string {
  return [f.object, f.rule, f.field ?? '', f.message].join('\u0000');
}

/** Sort findings by object, field, rule, message. */
export function sortFindings(findings: readonly ReviewFinding[]): ReviewFinding[] {
  return [...findings].sort((a, b) => compareStrings(a.object, b.object) || compareStrings(a.field ?? '', b.field ?? '')
    || compareStrings(a.rule, b.rule) || compareStrings(a.message, b.message));
}
