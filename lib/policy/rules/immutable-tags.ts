import { celHasDigest, celLastSegment, REGO_IMAGE_HELPERS } from './image-reference';
import { celEachContainer, POD_CARRIERS, PolicyRule, REGO_POD_HELPERS } from '../policy-rule';

/**
 * RE2 pattern of a tag that names one build: a full version `x.y.z` (optional `v`, optional
 * `-suffix` such as `-alpine` or `-rc.1`) or a build id (a commit hash of 7 to 64 hex digits).
 */
export const IMMUTABLE_TAG_PATTERN = '^(v?[0-9]+[.][0-9]+[.][0-9]+(-[A-Za-z0-9_.-]+)?|[0-9a-f]{7,64})$';

/**
 * In the rule's namespaces, images name one build: a complete digest, a full version tag or a
 * build id. Floating tags (`nginx:stable`, `redis:7-alpine`, `postgres:15`) are refused: like
 * `latest`, they move to a new image under running pods. Off until enabled (the bundled cluster
 * baseline turns it on for `production`).
 */
export const immutableTagsRule: PolicyRule = {
  id: 'immutable-tags',
  kind: 'K8sImmutableTags',
  description: 'Every container image names one build: a digest, a full version tag (x.y.z) or a build id.',
  fix: 'pin the exact release (nginx:1.27.3, redis:7.2.11, not nginx:stable or redis:7-alpine), a build id (app:3f9c2d1) or a digest (app@sha256:<64 hex digits>); an image whose vendor publishes no x.y.z tag (postgres:15.17) goes in the images parameter',
  match: POD_CARRIERS,
  enabledByDefault: false,
  parameters: {
    images: {
      description: 'Exact image references accepted besides (for vendors whose most specific tag is not x.y.z, e.g. postgres:15.17).',
      default: [],
    },
  },
  validations: [{
    expression: (pod) => celEachContainer(pod.spec, (c) => `${celHasDigest(`${c}.image`)} || `
      + `(!${c}.image.contains('@') && ${celLastSegment(`${c}.image`)}.contains(':') && `
      + `${celLastSegment(`${c}.image`)}.substring(${celLastSegment(`${c}.image`)}.indexOf(':') + 1).matches('${IMMUTABLE_TAG_PATTERN}')) || `
      + `params.data.images.split(',').exists(i, i != '' && i == ${c}.image)`),
    message: 'every image needs a digest, an x.y.z tag or a build id',
  }],
  rego: `package k8simmutabletags
${REGO_POD_HELPERS}${REGO_IMAGE_HELPERS}
immutable(image) {
  has_digest(image)
}

immutable(image) {
  not contains(image, "@")
  seg := last_segment(image)
  contains(seg, ":")
  regex.match(\`${IMMUTABLE_TAG_PATTERN}\`, substring(seg, indexof(seg, ":") + 1, -1))
}

immutable(image) {
  input.parameters.images[_] == image
}

violation[{"msg": msg}] {
  c := all_containers[_]
  not immutable(c.image)
  msg := sprintf("container %v image %v has a floating tag: use a digest, an x.y.z tag or a build id", [c.name, c.image])
}
`,
};
