import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { ConfiguredPolicyRule } from './policy-pack';
import { ConstraintTemplate } from '../../imports/gatekeeper-constrainttemplates-templates.gatekeeper.sh';

/** Props of a {@link GatekeeperConstraint}. */
export interface GatekeeperConstraintProps {
  /** The rule with its parameters and scope (an entry of `PolicyPack.rules`). */
  readonly rule: ConfiguredPolicyRule;
  /** What Gatekeeper does on a violation. @default 'deny' */
  readonly enforcementAction?: 'deny' | 'dryrun' | 'warn';
}

/**
 * A Gatekeeper `ConstraintTemplate` (templates.gatekeeper.sh/v1, the rule's Rego) and its one
 * constraint (constraints.gatekeeper.sh/v1beta1, kind = the template's CRD kind) that applies it
 * to the rule's kinds and namespaces with its parameters. Both are cluster-scoped; Gatekeeper
 * creates the constraint CRD from the template, so apply the template first (sync waves or a
 * second apply; the constraint carries Argo CD's `SkipDryRunOnMissingResource=true`).
 */
export class GatekeeperConstraint extends Construct {
  /** Name of the ConstraintTemplate (the lowercased kind, as Gatekeeper requires). */
  public readonly templateName: string;
  /** Name of the constraint object. */
  public readonly constraintName: string;

  constructor(scope: Construct, id: string, props: GatekeeperConstraintProps) {
    super(scope, id);
    const { rule, parameters, namespaces, excludedNamespaces } = props.rule;
    this.templateName = rule.kind.toLowerCase();
    this.constraintName = rule.id;
    if (props.enforcementAction !== undefined && !['deny', 'dryrun', 'warn'].includes(props.enforcementAction)) {
      fail(this, `'enforcementAction' ${show(props.enforcementAction)} is not one Gatekeeper knows: use 'deny', 'dryrun' or 'warn'.`);
    }

    const properties: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(rule.parameters ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      properties[name] = { type: 'array', description: p.description, items: { type: 'string' } };
    }

    new ConstraintTemplate(this, 'Template', {
      metadata: {
        name: this.templateName,
        annotations: { description: rule.description },
      },
      spec: {
        crd: {
          spec: {
            names: { kind: rule.kind },
            validation: Object.keys(properties).length > 0
              ? { openApiv3Schema: { type: 'object', properties } }
              : undefined,
          },
        },
        targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: rule.rego }],
      },
    });

    const groups = new Map<string, string[]>();
    for (const m of rule.match) groups.set(m.apiGroup, [...(groups.get(m.apiGroup) ?? []), m.kind]);
    new ApiObject(this, 'Constraint', {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: rule.kind,
      metadata: {
        name: this.constraintName,
        // The constraint's CRD only exists once Gatekeeper has processed the template.
        annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' },
      },
      spec: {
        enforcementAction: props.enforcementAction ?? 'deny',
        match: {
          kinds: [...groups.entries()].map(([group, kinds]) => ({ apiGroups: [group], kinds })),
          ...(namespaces !== undefined ? { namespaces: [...namespaces] } : {}),
          ...(excludedNamespaces.length > 0 ? { excludedNamespaces: [...excludedNamespaces] } : {}),
        },
        ...(Object.keys(parameters).length > 0 ? { parameters: { ...parameters } } : {}),
      },
    });
  }
}
