/**
 * The image tag that overrides the config's pinned tags, from the synth's environment:
 * - `IMAGE_TAG`, when set, always wins (you asked for it explicitly);
 * - in a release build (`GUARDRAILS_RELEASE=true`, set by the deploy pipeline), `CI_COMMIT_SHA`,
 *   and failing both, an error: a release must name the commit's image;
 * - otherwise none, so the committed `dist/` stays reproducible even where CI sets
 *   `CI_COMMIT_SHA` on every job.
 */
export function releaseTag(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const release = env.GUARDRAILS_RELEASE === 'true';
  const source = env.IMAGE_TAG ? 'IMAGE_TAG' : release && env.CI_COMMIT_SHA ? 'CI_COMMIT_SHA' : undefined;
  if (source === undefined) {
    if (release) {
      throw new Error('GUARDRAILS_RELEASE is true but neither IMAGE_TAG nor CI_COMMIT_SHA is set: export IMAGE_TAG=<the tag your pipeline pushed> (or run in a CI job that sets CI_COMMIT_SHA).');
    }
    return undefined;
  }
  const tag = env[source]!;
  if (!/^[\w][\w.-]{0,127}$/.test(tag)) {
    throw new Error(`release tag '${tag}' (from ${source}) is not a valid image tag: use up to 128 letters, digits, '_', '.' and '-'.`);
  }
  return tag;
}
