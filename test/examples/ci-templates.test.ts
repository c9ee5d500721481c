import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const root = resolve(__dirname, '../..');
const load = (file: string): any => parse(readFileSync(join(root, 'examples/ci', file), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every shell line a GitLab job runs. */
const gitlabScript = (job: any): string[] => [...(job.before_script ?? []), ...(job.script ?? [])];
/** Every shell line a GitHub job runs (multi-line `run:` split into lines). */
const githubScript = (job: any): string[] => (job.steps ?? []).flatMap((s: any) => (s.run === undefined ? [] : String(s.run).split('\n').map((l: string) => l.trim()).filter((l: string) => l !== '')));

const REQUIRED_COMMANDS = [
  /^npm ci\b/,
  /^npm test$/,
  /^npm run synth$/,
  /^git diff --exit-code -- dist\/$/,
  /^kubectl apply --server-side .*-k "dist\/\$CLOUD\/staging"$/,
  /^kubectl apply --server-side .*-k "dist\/\$CLOUD\/production"$/,
];

describe('examples/ci/gitlab-ci.yml', () => {
  const ci = load('gitlab-ci.yml');
  const jobs = Object.fromEntries(Object.entries(ci).filter(([, v]: [string, any]) => v?.stage !== undefined)) as Record<string, any>;

  test('declares the documented stages in order', () => {
    expect(ci.stages).toEqual(['build', 'test', 'security', 'deploy-staging', 'deploy-production']);
  });

  test('has a job in every stage, each in a declared stage', () => {
    expect(new Set(Object.values(jobs).map((j) => j.stage))).toEqual(new Set(ci.stages));
  });

  test('runs install, tests, synth, the drift check and a server-side apply per environment', () => {
    const lines = Object.values(jobs).flatMap(gitlabScript);
    for (const command of REQUIRED_COMMANDS) expect(lines.some((l) => command.test(l))).toBe(true);
    expect(gitlabScript(jobs.build)).toEqual(expect.arrayContaining(['npm run synth', 'git diff --exit-code -- dist/']));
    expect(gitlabScript(jobs.test)).toContain('npm test');
    expect(ci.variables.CLOUD).toBe('aws');
  });

  test('renders the release (commit-tagged) tree after the drift check, for the deploy jobs', () => {
    const build = gitlabScript(jobs.build);
    expect(build.indexOf('GUARDRAILS_RELEASE=true npm run synth')).toBeGreaterThan(build.indexOf('git diff --exit-code -- dist/'));
    expect(jobs.build.artifacts.paths).toEqual(['dist/']);
  });

  test('gates production behind a manual, blocking job that needs staging', () => {
    const prod = jobs['deploy-production'];
    expect(prod.stage).toBe('deploy-production');
    expect(prod.rules).toEqual([expect.objectContaining({ when: 'manual', allow_failure: false })]);
    expect(prod.needs).toContain('deploy-staging');
    expect(prod.environment.name).toBe('production');
    expect(jobs['deploy-staging'].rules.some((r: any) => r.when === 'manual')).toBe(false);
  });

  test('names only jobs that exist in needs', () => {
    for (const job of Object.values(jobs)) for (const need of job.needs ?? []) expect(Object.keys(jobs)).toContain(need);
  });
});

describe('examples/ci/github-actions.yml', () => {
  const wf = load('github-actions.yml');

  test('has the build, test, security and two deploy jobs', () => {
    expect(Object.keys(wf.jobs)).toEqual(expect.arrayContaining(['build', 'test', 'security', 'deploy-staging', 'deploy-production']));
    expect(wf.on).toHaveProperty('pull_request');
    expect(wf.on.push.branches).toEqual(['main']);
  });

  test('runs install, tests, synth, the drift check and a server-side apply per environment', () => {
    const lines = Object.values(wf.jobs).flatMap(githubScript);
    for (const command of REQUIRED_COMMANDS) expect(lines.some((l) => command.test(l))).toBe(true);
    expect(githubScript(wf.jobs.build)).toEqual(expect.arrayContaining(['npm run synth', 'git diff --exit-code -- dist/']));
    expect(wf.env.CLOUD).toBe('aws');
    const release = wf.jobs.build.steps.find((st: any) => st.env?.GUARDRAILS_RELEASE === 'true');
    expect(release).toMatchObject({ run: 'npm run synth', env: { IMAGE_TAG: '${{ github.sha }}' } });
  });

  test('deploys production after staging, behind the production environment (reviewers gate it)', () => {
    expect(wf.jobs['deploy-production'].needs).toEqual(['deploy-staging']);
    expect(wf.jobs['deploy-production'].environment).toBe('production');
    expect(wf.jobs['deploy-staging'].environment).toBe('staging');
  });

  test('keeps the default token read-only and grants comment rights to the review job only', () => {
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.review.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
  });

  test('names only jobs that exist in needs', () => {
    for (const job of Object.values(wf.jobs) as any[]) for (const need of job.needs ?? []) expect(Object.keys(wf.jobs)).toContain(need);
  });
});

describe('both CI templates', () => {
  test.each(['gitlab-ci.yml', 'github-actions.yml'])('%s runs only npm scripts that package.json defines', (file) => {
    const text = readFileSync(join(root, 'examples/ci', file), 'utf8');
    const scripts = [...text.matchAll(/npm run ([a-z:-]+)/g)].map((m) => m[1]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(Object.keys(pkg.scripts)).toContain(s);
  });
});
