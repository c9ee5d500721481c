import { ApiObject } from 'cdk8s';
import { GuardrailsAnnotations } from '../common/annotations';
import { fail, show } from '../common/errors';

/** The validators whose checks an object can be exempted from, each by its own annotation. */
export type ConformanceTool = 'kube-linter' | 'kube-score' | 'polaris';

/** Where the reason for an exemption is written: `<prefix><check id>`. */
export const CONFORMANCE_REASON_PREFIX = GuardrailsAnnotations.CONFORMANCE_REASON_PREFIX;

/** One check of one tool that is wrong for one object, and why. */
export interface ConformanceExemption {
  /** The tool whose check does not apply. */
  readonly tool: ConformanceTool;
  /**
   * The check's id as the tool names it: kube-linter `no-anti-affinity`, kube-score
   * `container-security-context-user-group-id`, Polaris `priorityClassNotSet`.
   */
  readonly check: string;
  /** Why the check is wrong for this object, in a sentence a reviewer can judge. Required. */
  readonly reason: string;
}

const CHECK_ID = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;
// An annotation key's name part is at most 63 characters.
const MAX_CHECK_LENGTH = 63 - CONFORMANCE_REASON_PREFIX.split('/')[1].length;

/**
 * Exempts `obj` from one conformance check with the tool's own annotation and writes the reason
 * beside it in `conformance.cdk8s-guardrails.io/reason.<check>`, which `npm run conformance`
 * requires for every exemption:
 * - kube-linter: `ignore-check.kube-linter.io/<check>: <reason>`;
 * - kube-score: `<check>` added to the comma-separated `kube-score/ignore` (sorted);
 * - Polaris: `polaris.fairwinds.com/<check>-exempt: "true"`.
 * Put it on the object the tool reports (for pod checks: the Deployment, not its pod template).
 */
export function exemptFromConformanceCheck(obj: ApiObject, exemption: ConformanceExemption): void {
  const { tool, check } = exemption;
  const reason = exemption.reason.trim();
  if (!CHECK_ID.test(check) || check.length > MAX_CHECK_LENGTH) {
    fail(obj, `conformance check id ${show(check)} is not a check id: use the id the tool prints, letters, digits and '-' only, at most ${MAX_CHECK_LENGTH} characters.`);
  }
  if (reason === '') {
    fail(obj, `the exemption from ${tool} check ${show(check)} has no reason: write why the check is wrong for this object.`);
  }
  switch (tool) {
    case 'kube-linter':
      obj.metadata.addAnnotation(`ignore-check.kube-linter.io/${check}`, reason);
      break;
    case 'kube-score': {
      const current = obj.metadata.toJson().annotations?.['kube-score/ignore'] ?? '';
      const checks = new Set(current.split(',').map((c: string) => c.trim()).filter((c: string) => c !== ''));
      checks.add(check);
      obj.metadata.addAnnotation('kube-score/ignore', [...checks].sort().join(','));
      break;
    }
    case 'polaris':
      obj.metadata.addAnnotation(`polaris.fairwinds.com/${check}-exempt`, 'true');
      break;
    default:
      fail(obj, `unknown conformance tool ${show(tool)}: use 'kube-linter', 'kube-score' or 'polaris'.`);
  }
  obj.metadata.addAnnotation(`${CONFORMANCE_REASON_PREFIX}${check}`, reason);
}
