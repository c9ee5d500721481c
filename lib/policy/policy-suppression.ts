import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { SUPPRESSION_ANNOTATION_PREFIX } from './policy-pack';
import { POLICY_RULES } from './rules';
import { fail, show } from '../common/errors';

/**
 * Records that one object is an exception to one rule, with the reason, as the annotation
 * `policy.cdk8s-guardrails.io/suppress.<rule-id>: <reason>` on the object. The synth-time check
 * skips that rule for that object; reviewers see the reason in the YAML.
 */
export class PolicySuppression {
  /**
   * Suppresses `ruleId` on the ApiObject of `construct` (the construct itself, or its default
   * child as found by `ApiObject.of`, e.g. the Deployment of a cdk8s-plus Deployment).
   */
  public static add(construct: IConstruct, ruleId: string, reason: string): void {
    const known = POLICY_RULES.map((r) => r.id);
    if (!known.includes(ruleId)) {
      fail(construct, `cannot suppress the unknown policy rule ${show(ruleId)}; known rules are ${known.join(', ')}.`);
    }
    if (reason.trim() === '') {
      fail(construct, `suppressing the policy rule ${show(ruleId)} needs a reason (got an empty one); say why this object is an exception.`);
    }
    const obj = ApiObject.isApiObject(construct) ? construct : ApiObject.of(construct);
    obj.metadata.addAnnotation(SUPPRESSION_ANNOTATION_PREFIX + ruleId, reason.trim());
  }
}
