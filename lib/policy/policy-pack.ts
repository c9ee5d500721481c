import { CelExpression } from './cel';
import { parameterConfigMapData, PolicyRule, resolveParameters, validationsFor } from './policy-rule';
import { POLICY_RULES } from './rules';
import { GuardrailError, show } from '../common/errors';

/** Annotation prefix that records a suppression: `policy.cdk8s-guardrails.io/suppress.<rule-id>: <reason>`. */
export const SUPPRESSION_ANNOTATION_PREFIX = 'policy.cdk8s-guardrails.io/suppress.';

/** How one rule of a pack is configured. */
export interface PolicyRuleOptions {
  /** Turn the rule on or off. @default - the rule's own default (every rule but `allowed-registries` is on) */
  readonly enabled?: boolean;
  /**
   * Parameter values, each a list of strings (e.g. `{ labels: ['app', 'team'] }`). Giving a value
   * for `allowed-registries` (`repos`) enables that rule unless `enabled: false`.
   * @default - the rule's defaults
   */
  readonly parameters?: Readonly<Record<string, readonly string[]>>;
  /** Limit the rule to these namespaces. @default - the rule's default (`production` for `required-labels`, else every namespace) */
  readonly namespaces?: readonly string[];
  /** Namespaces the rule never applies to. @default - the pack's `excludedNamespaces` */
  readonly excludedNamespaces?: readonly string[];
}

/** Options of a {@link PolicyPack}. */
export interface PolicyPackProps {
  /** Per-rule options, keyed by rule id. @default - every rule with its defaults */
  readonly rules?: Readonly<Record<string, PolicyRuleOptions>>;
  /** Namespaces no rule applies to (system namespaces). @default ['kube-system', 'gatekeeper-system'] */
  readonly excludedNamespaces?: readonly string[];
}

/** A rule with its resolved parameters and scope: what every renderer and the checker consume. */
export interface ConfiguredPolicyRule {
  readonly rule: PolicyRule;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
  /** Namespaces the rule applies to; `undefined` means every namespace. */
  readonly namespaces?: readonly string[];
  readonly excludedNamespaces: readonly string[];
}

/** A synthesized object with the construct path it came from (when known). */
export interface ManifestWithPath {
  readonly manifest: Readonly<Record<string, any>>;
  /** Construct path of the ApiObject. @default - unknown (plain YAML) */
  readonly path?: string;
}

/** One rule broken by one object. */
export interface PolicyViolation {
  readonly ruleId: string;
  /** Gatekeeper kind of the rule: `K8sRequiredLabels`. */
  readonly policy: string;
  /** `Deployment production/api`. */
  readonly object: string;
  readonly path?: string;
  /** What the rule demands. */
  readonly description: string;
  /** The messages of the failed validations. */
  readonly messages: readonly string[];
  readonly fix: string;
}

/** Thrown by {@link PolicyPack.check}: one error listing every violation. */
export class PolicyViolationError extends GuardrailError {
  constructor(public readonly violations: readonly PolicyViolation[]) {
    super(formatViolations(violations));
    this.name = 'PolicyViolationError';
  }
}

/**
 * A set of admission rules with their parameters and scope. The same pack renders the cluster's
 * Gatekeeper constraints and ValidatingAdmissionPolicies and checks synthesized objects before
 * they are written, with the same CEL the API server would run.
 */
export class PolicyPack {
  /** The enabled rules, in the stable order of {@link POLICY_RULES}. */
  public readonly rules: readonly ConfiguredPolicyRule[];
  /** Compiled CEL per rule id and kind (each kind has its own pod paths). */
  private readonly compiled = new Map<string, Map<string, CelExpression[]>>();

  constructor(props: PolicyPackProps = {}) {
    const known = new Map(POLICY_RULES.map((r) => [r.id, r]));
    for (const id of Object.keys(props.rules ?? {})) {
      if (!known.has(id)) throw new GuardrailError(`PolicyPack: unknown rule ${show(id)}; known rules are ${[...known.keys()].join(', ')}.`);
    }
    const excluded = props.excludedNamespaces ?? ['kube-system', 'gatekeeper-system'];
    const rules: ConfiguredPolicyRule[] = [];
    for (const rule of POLICY_RULES) {
      const opts = props.rules?.[rule.id] ?? {};
      validateParameters(rule, opts.parameters ?? {});
      const enabled = opts.enabled ?? (opts.parameters !== undefined ? true : rule.enabledByDefault ?? true);
      if (!enabled) continue;
      const parameters = resolveParameters(rule, opts.parameters);
      for (const [name, values] of Object.entries(parameters)) {
        if (rule.id === 'allowed-registries' && values.length === 0) {
          throw new GuardrailError(`PolicyPack: rule 'allowed-registries' needs at least one prefix in parameters.${name}; give e.g. { repos: ['myregistry.com/'] } or leave the rule disabled.`);
        }
      }
      rules.push({
        rule,
        parameters,
        namespaces: opts.namespaces ?? rule.defaultNamespaces,
        excludedNamespaces: opts.excludedNamespaces ?? excluded,
      });
      const byKind = new Map<string, CelExpression[]>();
      const bySource = new Map<string, CelExpression>();
      for (const m of rule.match) {
        byKind.set(m.kind, validationsFor(rule, m.kind).map((v) => {
          if (!bySource.has(v.expression)) bySource.set(v.expression, new CelExpression(v.expression));
          return bySource.get(v.expression)!;
        }));
      }
      this.compiled.set(rule.id, byKind);
    }
    this.rules = rules;
  }

  /** Every violation of the enabled rules by `manifests`, suppressed ones left out. */
  public evaluate(manifests: readonly ManifestWithPath[]): PolicyViolation[] {
    const violations: PolicyViolation[] = [];
    for (const { manifest, path } of manifests) {
      for (const configured of this.rules) {
        if (!ruleAppliesTo(configured, manifest)) continue;
        if (suppressionOf(manifest, configured.rule.id) !== undefined) continue;
        const messages = this.failedMessages(configured, manifest);
        if (messages.length === 0) continue;
        violations.push({
          ruleId: configured.rule.id,
          policy: configured.rule.kind,
          object: describePolicyObject(manifest),
          path,
          description: configured.rule.description,
          messages,
          fix: configured.rule.fix,
        });
      }
    }
    return violations;
  }

  /** Throws one {@link PolicyViolationError} listing every violation, if there is any. */
  public check(manifests: readonly ManifestWithPath[]): void {
    const violations = this.evaluate(manifests);
    if (violations.length > 0) throw new PolicyViolationError(violations);
  }

  /** The messages of the validations `manifest` fails (a CEL error counts as a failure, as with failurePolicy Fail). */
  private failedMessages(configured: ConfiguredPolicyRule, manifest: Readonly<Record<string, any>>): string[] {
    const params = { apiVersion: 'v1', kind: 'ConfigMap', data: parameterConfigMapData(configured.parameters) };
    const out: string[] = [];
    const expressions = this.compiled.get(configured.rule.id)!.get(manifest.kind)!;
    configured.rule.validations.forEach((validation, i) => {
      const outcome = expressions[i].evaluate({ object: manifest, params });
      if (!outcome.ok) out.push(`${validation.message} (the CEL evaluation failed: ${outcome.error})`);
      else if (outcome.value !== true) out.push(validation.message);
    });
    const paramText = Object.entries(configured.parameters).map(([k, v]) => `${k}: ${v.join(', ')}`).join('; ');
    return paramText && out.length > 0 ? out.map((m) => `${m} [${paramText}]`) : out;
  }
}

/** Whether a configured rule covers this object (kind and namespace). */
export function ruleAppliesTo(configured: ConfiguredPolicyRule, manifest: Readonly<Record<string, any>>): boolean {
  const apiVersion = String(manifest.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (!configured.rule.match.some((m) => m.kind === manifest.kind && m.apiGroup === group)) return false;
  const namespace = manifest.metadata?.namespace as string | undefined;
  if (configured.namespaces !== undefined && (namespace === undefined || !configured.namespaces.includes(namespace))) return false;
  if (namespace !== undefined && configured.excludedNamespaces.includes(namespace)) return false;
  return true;
}

/** The recorded reason when `manifest` suppresses `ruleId`, else undefined. */
export function suppressionOf(manifest: Readonly<Record<string, any>>, ruleId: string): string | undefined {
  const reason = manifest.metadata?.annotations?.[SUPPRESSION_ANNOTATION_PREFIX + ruleId];
  return typeof reason === 'string' && reason.trim() !== '' ? reason : undefined;
}

/** `Deployment production/api` (or `ClusterRole reader` when not namespaced). */
export function describePolicyObject(manifest: Readonly<Record<string, any>>): string {
  const name = manifest.metadata?.name ?? '<unnamed>';
  const ns = manifest.metadata?.namespace;
  return `${manifest.kind ?? '<no kind>'} ${ns ? `${ns}/` : ''}${name}`;
}

function validateParameters(rule: PolicyRule, given: Readonly<Record<string, readonly string[]>>): void {
  const known = Object.keys(rule.parameters ?? {});
  for (const [name, values] of Object.entries(given)) {
    if (!known.includes(name)) {
      throw new GuardrailError(`PolicyPack: rule ${show(rule.id)} has no parameter ${show(name)}; its parameters are ${known.length ? known.join(', ') : '(none)'}.`);
    }
    for (const v of values) {
      if (v === '' || v.includes(',')) {
        throw new GuardrailError(`PolicyPack: rule ${show(rule.id)} parameter ${show(name)} has the value ${show(v)}; values must be non-empty and contain no comma (the ValidatingAdmissionPolicy params ConfigMap joins them with commas).`);
      }
      const allowed = rule.parameters?.[name]?.allowedValues;
      if (allowed !== undefined && !allowed.includes(v)) {
        throw new GuardrailError(`PolicyPack: rule ${show(rule.id)} parameter ${show(name)} has the value ${show(v)}; allowed values are ${allowed.join(', ')}.`);
      }
      if (rule.id === 'internal-load-balancer' && !(v.indexOf('=') > 0)) {
        throw new GuardrailError(`PolicyPack: rule 'internal-load-balancer' parameter 'annotations' has the value ${show(v)}; write each as 'annotation-key=value'.`);
      }
    }
  }
}

/** The text of a {@link PolicyViolationError}: one block per violation. */
export function formatViolations(violations: readonly PolicyViolation[]): string {
  const lines = [`Policy check failed: ${violations.length} violation${violations.length === 1 ? '' : 's'} of the policy pack.`];
  for (const v of violations) {
    lines.push(`[${v.path ?? '<unknown construct path>'}] ${v.object} violates ${v.policy} (${v.ruleId}):`);
    for (const m of v.messages) lines.push(`  - ${m}`);
    lines.push(`  fix: ${v.fix}`);
    lines.push(`  or suppress with a reason: PolicySuppression.add(construct, '${v.ruleId}', '<why this object is an exception>') `
      + `(records the annotation ${SUPPRESSION_ANNOTATION_PREFIX}${v.ruleId})`);
  }
  return lines.join('\n');
}
