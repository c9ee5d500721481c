import { describePolicyObject, ManifestWithPath, PolicyPack, PolicyPackProps } from './policy-pack';

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
 * `properties` are {@link PolicyPackProps}. Each finding names the object (`Deployment production/api`)
 * and its construct path, from the construct metadata the app records under `cdk8s synth`
 * (`CDK8S_RECORD_CONSTRUCT_METADATA`): exact with `synthApp`/`GuardrailsApp`; with stock
 * `App.synth()` only for objects whose name no other object shares.
 */
export class GuardrailsPolicyValidation {
  private readonly pack: PolicyPack;

  constructor(props: PolicyPackProps = {}) {
    this.pack = new PolicyPack(props);
  }

  public async validate(context: Cdk8sValidationContext): Promise<void> {
    const byRule = new Map<string, { recommendation: string; fix: string; resources: Array<{ resourceName: string; locations: string[]; manifestPath: string }> }>();
    const parsed = context.manifests.map((manifestPath) => ({
      manifestPath,
      docs: context.parseManifest(manifestPath).filter((d) => d !== null && typeof d === 'object') as Record<string, any>[],
    }));
    const nameCount = new Map<string, number>();
    for (const { docs } of parsed) {
      for (const d of docs) nameCount.set(String(d.metadata?.name), (nameCount.get(String(d.metadata?.name)) ?? 0) + 1);
    }
    let count = 0;
    for (const { manifestPath, docs } of parsed) {
      const manifests: ManifestWithPath[] = docs.map((manifest) => ({ manifest, path: constructPathOf(context, manifest, nameCount) }));
      for (const v of this.pack.evaluate(manifests)) {
        count++;
        const entry = byRule.get(v.ruleId) ?? { recommendation: `${v.policy}: ${v.description}`, fix: v.fix, resources: [] };
        const at = v.path ? ` (construct ${v.path})` : '';
        // resourceName is the exact object: cdk8s-cli shows it and looks its construct path up by it.
        entry.resources.push({ resourceName: v.object, locations: v.messages.map((m) => `${v.object}${at}: ${m}`), manifestPath });
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

/**
 * The construct path of one object. `synthApp` (and so `GuardrailsApp` and `npm run synth`) records
 * each object under its exact key `<kind> <namespace>/<name>`; stock `App.synth()` records paths by
 * name only, the last object of a name winning, so a name-only entry is used only when no other
 * object has that name (else the path is unknown rather than wrong).
 */
function constructPathOf(context: Cdk8sValidationContext, manifest: Record<string, any>, nameCount: ReadonlyMap<string, number>): string | undefined {
  const exact = context.metadata[describePolicyObject(manifest)]?.path;
  if (exact !== undefined) return exact;
  const name = manifest.metadata?.name;
  if (typeof name !== 'string' || (nameCount.get(name) ?? 0) > 1) return undefined;
  const path = context.metadata[name]?.path;
  // cdk8s-cli's report reads the construct path of a finding from this same metadata object by
  // the finding's resourceName (the exact key): record it there so its table shows the path.
  if (path !== undefined) (context.metadata as Record<string, { path: string }>)[describePolicyObject(manifest)] = { path };
  return path;
}
