import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

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

// The digests container runtimes verify: sha256 (64 hex characters) and sha512 (128), lowercase.
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
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

/**
 * Parses `image` and requires it pinned, the rule every construct that runs an image applies:
 * fails on a malformed reference, on one with neither tag nor digest, and on `latest` without a
 * digest. `example` is a pinned reference of the same kind, quoted in the fix.
 */
export function requirePinnedImage(scope: IConstruct, image: string, example: string): ImageReference {
  const ref = parseImageReference(image);
  if (ref === undefined) {
    fail(scope, `'image' ${show(image)} is not a valid image reference: use '[registry/]repository:tag' or '[registry/]repository@sha256:<digest>' (e.g. ${show(example)}).`);
  }
  if (ref.tag === undefined && ref.digest === undefined) {
    fail(scope, `'image' ${show(image)} is not pinned: it has no tag or digest, so every node may run a different build; add a version tag or a digest (e.g. ${show(example)}).`);
  }
  if (ref.tag === 'latest' && ref.digest === undefined) {
    fail(scope, `'image' ${show(image)} is not pinned: the 'latest' tag moves under running pods; use a version tag or a digest (e.g. ${show(example)}).`);
  }
  return ref;
}
