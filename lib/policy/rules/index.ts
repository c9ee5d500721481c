import { allowedRegistriesRule } from './allowed-registries';
import { containerResourcesRule } from './container-resources';
import { disallowedTagsRule } from './disallowed-tags';
import { hostAccessRule } from './host-access';
import { internalLoadBalancerRule } from './internal-load-balancer';
import { pssRestrictedRule } from './pss-restricted';
import { requiredLabelsRule } from './required-labels';
import { requiredProbesRule } from './required-probes';
import { PolicyRule } from '../policy-rule';

export { allowedRegistriesRule, containerResourcesRule, disallowedTagsRule, hostAccessRule, internalLoadBalancerRule, pssRestrictedRule, requiredLabelsRule, requiredProbesRule };

/** Every rule of the policy pack, in a stable order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  requiredLabelsRule,
  containerResourcesRule,
  disallowedTagsRule,
  allowedRegistriesRule,
  requiredProbesRule,
  pssRestrictedRule,
  hostAccessRule,
  internalLoadBalancerRule,
];
