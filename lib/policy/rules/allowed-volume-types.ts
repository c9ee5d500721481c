import { POD_CARRIERS, PolicyRule, REGO_POD_HELPERS, VOLUME_SOURCES } from '../policy-rule';

/**
 * Volumes only of the allowed types: by default the list of the restricted PodSecurityPolicy of
 * the platform documents (configMap, downwardAPI, emptyDir, persistentVolumeClaim, projected,
 * secret), narrower than Pod Security Standards restricted (which also admits csi and ephemeral).
 */
export const allowedVolumeTypesRule: PolicyRule = {
  id: 'allowed-volume-types',
  kind: 'K8sAllowedVolumeTypes',
  description: 'Every volume is of one of the allowed types.',
  fix: 'use a configMap, secret, projected, downwardAPI, emptyDir or persistentVolumeClaim volume, or add the type to the types parameter',
  match: POD_CARRIERS,
  parameters: {
    types: {
      description: 'Allowed volume types (the Volume field names, e.g. csi, ephemeral).',
      default: ['configMap', 'downwardAPI', 'emptyDir', 'persistentVolumeClaim', 'projected', 'secret'],
      allowedValues: VOLUME_SOURCES,
    },
  },
  // The allowed list is split once (the one-element list binds it), then each known volume source
  // is tested by name: typed CEL cannot iterate a Volume's fields.
  validations: [{
    expression: (pod) => `!has(${pod.spec}.volumes) || [params.data.types.split(',')].all(types, ${pod.spec}.volumes.all(v, `
      + VOLUME_SOURCES.map((s) => `(!has(v.${s}) || '${s}' in types)`).join(' && ') + '))',
    message: 'every volume must be of a type in the types parameter',
  }],
  rego: `package k8sallowedvolumetypes
${REGO_POD_HELPERS}
violation[{"msg": msg}] {
  v := pod_spec(input.review.object).volumes[_]
  v[field]
  field != "name"
  not allowed_type(field)
  msg := sprintf("volume %v is of the type %v, not one of %v", [v.name, field, input.parameters.types])
}

allowed_type(t) {
  input.parameters.types[_] == t
}
`,
};
