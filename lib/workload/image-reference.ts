/** An image reference split into its parts. */
export interface ImageReference {
  /** The registry host, when the reference names one (`myregistry.com`, `registry.cn-hangzhou.aliyuncs.com`). */
  readonly registry?: string;
  /** The repository path (`user-service`, `library/postgres`). */
  readonly repository: string;
  /** The tag, when there is one. */
  readonly tag?: string;
  /** The digest (`sha256:...`), when there is one. */
  readonly digest?: string;
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/**
 * Parses an OCI image reference (`[registry/]path[:tag][@digest]`); returns `undefined` when it
 * is not one. The first path component is a registry when it has a '.' or ':' or is `localhost`.
 */
export function parseImageReference(image: string): ImageReference | undefined {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  const parts = rest.split('/');
  let registry: string | undefined;
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) {
    registry = parts.shift();
  }
  if (parts.length === 0 || !parts.every((part) => PATH_COMPONENT.test(part))) return undefined;
  return { registry, repository: parts.join('/'), tag, digest };
}
