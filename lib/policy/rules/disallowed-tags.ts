import { celContainers, celOnPodSpec, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/** Images are pinned: a digest, or a tag that is not `latest`. */
export const disallowedTagsRule: PolicyRule = {
  id: 'disallowed-tags',
  kind: 'K8sDisallowedTags',
  description: 'Every container image names a digest or an explicit tag, and the tag is not a floating one such as latest.',
  fix: 'pin the image to a release tag (registry/app:v1.2.3) or a digest (registry/app@sha256:...)',
  match: POD_CARRIERS,
  parameters: {
    tags: { description: 'Tags that are not allowed.', default: ['latest'] },
  },
  validations: [{
    expression: celOnPodSpec((spec) => `${celContainers(spec)}.all(c, c.image.contains('@') || `
      + "(c.image.substring(c.image.lastIndexOf('/') + 1).contains(':') && "
      + "!params.data.tags.split(',').exists(t, t != '' && c.image.endsWith(':' + t))))"),
    message: 'every container image must carry a digest or a tag, and the tag must not be one of the tags parameter (latest by default)',
  }],
  rego: `package k8sdisallowedtags
${REGO_POD_HELPERS}
has_tag(image) {
  parts := split(image, "/")
  contains(parts[count(parts) - 1], ":")
}

violation[{"msg": msg}] {
  c := all_containers[_]
  not contains(c.image, "@")
  not has_tag(c.image)
  msg := sprintf("container %v image %v has neither a tag nor a digest", [c.name, c.image])
}

violation[{"msg": msg}] {
  c := all_containers[_]
  not contains(c.image, "@")
  tag := input.parameters.tags[_]
  tag != ""
  endswith(c.image, concat("", [":", tag]))
  msg := sprintf("container %v image %v uses the disallowed tag %v", [c.name, c.image, tag])
}
`,
};
