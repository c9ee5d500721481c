import { Construct } from 'constructs';
import { fail } from '../common/errors';

/** The message every request for a PodSecurityPolicy gets. */
export const POD_SECURITY_POLICY_REMOVED =
  "PodSecurityPolicy (policy/v1beta1) was removed in Kubernetes 1.25, so the documented 'restricted' PodSecurityPolicy "
  + 'would be a dead API on Kubernetes 1.28: use RestrictedNamespace instead, which labels the namespace for Pod Security '
  + "Admission with enforce/audit/warn 'restricted' (new RestrictedNamespace(scope, 'ns', { name: 'production' })).";

/**
 * Kept only to point people who follow older documentation to {@link RestrictedNamespace}:
 * constructing it always throws, because the PodSecurityPolicy API no longer exists in the
 * Kubernetes versions this library targets.
 */
export class PodSecurityPolicy extends Construct {
  /** The documented `restricted` policy: throws with the way to get the same protection today. */
  public static restricted(scope: Construct, id: string): never {
    new PodSecurityPolicy(scope, id);
    throw new Error('unreachable');
  }

  constructor(scope: Construct, id: string, _props: Record<string, unknown> = {}) {
    super(scope, id);
    fail(this, POD_SECURITY_POLICY_REMOVED);
  }
}
