import { allowedRegistries } from './allowed-registries';
import { containerResources } from './container-resources';
import { disallowedTags } from './disallowed-tags';
import { hostAccess } from './host-access';
import { internalLoadBalancer } from './internal-load-balancer';
import { pssRestricted } from './pss-restricted';
import { requiredLabels } from './required-labels';
import { requiredProbes } from './required-probes';
import { PolicyRule } from '../policy-rule';

export { allowedRegistries, containerResources, disallowedTags, hostAccess, internalLoadBalancer, pssRestricted, requiredLabels, requiredProbes };

/** Every rule of the policy pack, in a stable order. */
export const POLICY_RULES: readonly PolicyRule[] = [
  requiredLabels,
  containerResources,
  disallowedTags,
  allowedRegistries,
  requiredProbes,
  pssRestricted,
  hostAccess,
  internalLoadBalancer,
];
