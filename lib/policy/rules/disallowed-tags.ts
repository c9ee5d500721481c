import { celHasDigest, celHasTag, REGO_IMAGE_HELPERS } from './image-reference';
import { celEachContainer, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/** Images are pinned: a complete digest, or a valid tag that is not `latest`. */
export const disallowedTagsRule: PolicyRule = {
  id: 'disallowed-tags',
  kind: 'K8sDisallowedTags',
  description: 'Every container image names a complete digest or a valid tag, and the tag is not a floating one such as latest.',
  fix: 'pin the image to a release tag (registry/app:v1.2.3) or a complete digest (registry/app@sha256:<64 hex digits>)',
  match: POD_CARRIERS,
  parameters: {
    tags: { description: 'Tags that are not allowed.', default: ['latest'] },
  },
  validations: [{
    expression: (pod) => celEachContainer(pod.spec, (c) => `${celHasDigest(`${c}.image`)} || `
      + `(${celHasTag(`${c}.image`)} && !params.data.tags.split(',').exists(t, t != '' && ${c}.image.endsWith(':' + t)))`),
    message: 'every image needs a digest or a tag not in the tags parameter',
  }],
  rego: `package k8sdisallowedtags
${REGO_POD_HELPERS}${REGO_IMAGE_HELPERS}
violation[{"msg": msg}] {
  c := all_containers[_]
  not has_digest(c.image)
  not has_tag(c.image)
  msg := sprintf("container %v image %v has neither a valid tag nor a complete digest", [c.name, c.image])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  not has_digest(c.image)
  tag := image_tag(c.image)
  input.parameters.tags[_] == tag
  msg := sprintf("container %v image %v uses the disallowed tag %v", [c.name, c.image, tag])
}
`,
};
