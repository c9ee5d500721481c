import { ManifestWithPath, PolicyPack, PolicyPackProps } from './policy-pack';

/** The part of cdk8s-cli's `ValidationContext` the plugin uses (structural, so cdk8s-cli stays a dev tool). */
export interface Cdk8sValidationContext {
  readonly manifests: readonly string[];
  readonly metadata: { readonly [resourceKey: string]: { readonly path: string } };
  readonly report: {
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: Array<{ resourceName: string; locations: string[]; manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
  readonly logger: { log(message: string): void };
  parseManifest(manifestPath: string): any[];
}

/**
 * The synth-time policy check as a cdk8s-cli validation plugin, so `cdk8s synth` users get it:
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-guardrails   # or ./ inside this repository after `npm run build`
 *     version: 0.1.0
 *     class: GuardrailsPolicyValidation
 *     properties: { rules: { required-labels: { namespaces: [production] } } }
 * ```
 * `properties` are {@link PolicyPackProps}. Construct paths come from cdk8s-cli's construct
 * metadata when the app records it (`CDK8S_RECORD_CONSTRUCT_METADATA`, which `cdk8s synth` sets).
 */
export class GuardrailsPolicyValidation {
  private readonly pack: PolicyPack;

  constructor(props: PolicyPackProps = {}) {
    this.pack = new PolicyPack(props);
  }

  public async validate(context: Cdk8sValidationContext): Promise<void> {
    const byRule = new Map<string, { recommendation: string; fix: string; resources: Array<{ resourceName: string; locations: string[]; manifestPath: string }> }>();
    let count = 0;
    for (const manifestPath of context.manifests) {
      const docs = context.parseManifest(manifestPath).filter((d) => d !== null && typeof d === 'object');
      const manifests: ManifestWithPath[] = docs.map((manifest) => ({ manifest, path: lookupPath(context, manifest) }));
      for (const v of this.pack.evaluate(manifests)) {
        count++;
        const entry = byRule.get(v.ruleId) ?? { recommendation: `${v.policy}: ${v.description}`, fix: v.fix, resources: [] };
        entry.resources.push({ resourceName: nameOf(v.object), locations: v.messages.map((m) => `${v.object}: ${m}`), manifestPath });
        byRule.set(v.ruleId, entry);
      }
    }
    for (const [ruleId, e] of [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      context.report.addViolation({ ruleName: ruleId, recommendation: e.recommendation, fix: e.fix, violatingResources: e.resources });
    }
    context.logger.log(`cdk8s-guardrails policy pack: ${this.pack.rules.length} rules, ${count} violations`);
    context.report.submit(count === 0 ? 'success' : 'failure');
  }
}

/** cdk8s-cli keys construct metadata by `metadata.name` (and fills the report's construct path from it). */
function lookupPath(context: Cdk8sValidationContext, manifest: Record<string, any>): string | undefined {
  const name = manifest.metadata?.name;
  return typeof name === 'string' ? context.metadata[name]?.path : undefined;
}

/** `Deployment production/api` -> `api` (the key cdk8s-cli uses for construct metadata). */
function nameOf(object: string): string {
  const ref = object.split(' ').pop() ?? object;
  return ref.split('/').pop() ?? ref;
}
