/**
 * Image reference checks shared by the tag rules, in CEL and Rego. A digest must be a complete
 * `sha256` (64 hex) or `sha512` (128 hex) digest; a tag must be a valid tag (`[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`)
 * in the last path segment, so `r.io/app:`, `r.io/app@` and short digests are neither.
 */

/** RE2 (and JavaScript) pattern of an image pinned by a complete digest. */
export const DIGEST_PATTERN = '^[^@]+@(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$';
/** RE2 pattern of the last path segment of an image that carries a valid tag. */
export const TAGGED_NAME_PATTERN = '^[^:@]+:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$';

/** CEL: the last path segment (`app:tag`) of the image string `image`. */
export const celLastSegment = (image: string) => `${image}.substring(${image}.lastIndexOf('/') + 1)`;

/** CEL: `image` is pinned by a complete digest. */
export const celHasDigest = (image: string) => `${image}.matches('${DIGEST_PATTERN}')`;

/** CEL: `image` carries a valid tag and no digest. */
export const celHasTag = (image: string) => `(!${image}.contains('@') && ${celLastSegment(image)}.matches('${TAGGED_NAME_PATTERN}'))`;

/** Rego helpers: `has_digest(image)`, `has_tag(image)`, `image_tag(image)`. */
export const REGO_IMAGE_HELPERS = `
has_digest(image) {
  regex.match(\`${DIGEST_PATTERN}\`, image)
}

last_segment(image) = s {
  parts := split(image, "/")
  s := parts[count(parts) - 1]
}

has_tag(image) {
  not contains(image, "@")
  regex.match(\`${TAGGED_NAME_PATTERN}\`, last_segment(image))
}

image_tag(image) = t {
  has_tag(image)
  seg := last_segment(image)
  t := substring(seg, indexof(seg, ":") + 1, -1)
}
`;
