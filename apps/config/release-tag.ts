/**
 * The image tag of a release build, from `IMAGE_TAG` or else `CI_COMMIT_SHA`.
 *
 * A release build (`GUARDRAILS_RELEASE=true`, set by the deploy pipeline) must name the commit's
 * image, so it fails without either variable. Other builds (tests, the committed `dist/`) use
 * the pinned tags from the environment config, so `dist/` stays reproducible.
 */
export function releaseTag(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const tag = env.IMAGE_TAG || env.CI_COMMIT_SHA || undefined;
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag)) {
    throw new Error(`release tag '${tag}' (from ${env.IMAGE_TAG ? 'IMAGE_TAG' : 'CI_COMMIT_SHA'}) is not a valid image tag: use up to 128 letters, digits, '_', '.' and '-'.`);
  }
  if (tag === undefined && env.GUARDRAILS_RELEASE === 'true') {
    throw new Error('GUARDRAILS_RELEASE is true but neither IMAGE_TAG nor CI_COMMIT_SHA is set: export IMAGE_TAG=<the tag your pipeline pushed> (or run in a CI job that sets CI_COMMIT_SHA).');
  }
  return tag;
}
