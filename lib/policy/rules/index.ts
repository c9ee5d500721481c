import { allowedRegistriesRule } from './allowed-registries';
import { allowedVolumeTypesRule } from './allowed-volume-types';
import { containerResourcesRule } from './container-resources';
import { disallowedTagsRule } from './disallowed-tags';
import { hostAccessRule } from './host-access';
import { immutableTagsRule } from './immutable-tags';
import { internalLoadBalancerRule } from './internal-load-balancer';
import { pssRestrictedRule } from './pss-restricted';
import { readOnlyRootFilesystemRule } from './read-only-root-filesystem';
import { requiredLabelsRule } from './required-labels';
import { requiredProbesRule } from './required-probes';
import { PolicyRule } from '../policy-rule';

export {
  allowedRegistriesRule, allowedVolumeTypesRule, containerResourcesRule, disallowedTagsRule, hostAccessRule, immutableTagsRule,
  internalLoadBalancerRule, pssRestrictedRule, readOnlyRootFilesystemRule, requiredLabelsRule, requiredProbesRule,
};
export { PROBE_FIELDS } from './required-probes';
export { IMMUTABLE_TAG_PATTERN } from './immutable-tags';

/** Every rule of the policy pack, in a stable order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  requiredLabelsRule,
  containerResourcesRule,
  disallowedTagsRule,
  immutableTagsRule,
  allowedRegistriesRule,
  requiredProbesRule,
  pssRestrictedRule,
  readOnlyRootFilesystemRule,
  allowedVolumeTypesRule,
  hostAccessRule,
  internalLoadBalancerRule,
];
