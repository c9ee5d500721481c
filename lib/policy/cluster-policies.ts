import { Construct } from 'constructs';
import { AdmissionPolicy } from './admission-policy';
import { GatekeeperConstraint } from './gatekeeper-constraint';
import { PolicyPack } from './policy-pack';

/** Props of {@link ClusterPolicies}. */
export interface ClusterPoliciesProps {
  /** The rules to emit. @default - a `PolicyPack` with every default */
  readonly pack?: PolicyPack;
  /** Emit Gatekeeper ConstraintTemplates and constraints. @default true */
  readonly gatekeeper?: boolean;
  /**
   * Emit ValidatingAdmissionPolicies and bindings. Kubernetes 1.28 serves them as v1beta1 only
   * with the ValidatingAdmissionPolicy feature gate and API enabled.
   * @default false
   */
  readonly admissionPolicies?: boolean;
  /** Gatekeeper's action on a violation. @default 'deny' */
  readonly enforcementAction?: 'deny' | 'dryrun' | 'warn';
  /** Namespace of the ValidatingAdmissionPolicy parameter ConfigMaps. @default 'kube-system' */
  readonly paramsNamespace?: string;
}

/**
 * The cluster side of a policy pack: for each enabled rule a Gatekeeper template + constraint
 * and/or a ValidatingAdmissionPolicy + binding (+ params ConfigMap). The same pack checks the
 * app's own objects at synth with `checkPolicies(app, pack)`.
 */
export class ClusterPolicies extends Construct {
  public readonly pack: PolicyPack;

  constructor(scope: Construct, id: string, props: ClusterPoliciesProps = {}) {
    super(scope, id);
    this.pack = props.pack ?? new PolicyPack();
    for (const rule of this.pack.rules) {
      if (props.gatekeeper ?? true) {
        new GatekeeperConstraint(this, `gatekeeper-${rule.rule.id}`, { rule, enforcementAction: props.enforcementAction });
      }
      if (props.admissionPolicies ?? false) {
        new AdmissionPolicy(this, `vap-${rule.rule.id}`, { rule, paramsNamespace: props.paramsNamespace });
      }
    }
  }
}
