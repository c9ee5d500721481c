import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync as write } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { USAGE } from '../../lib/synth/review/cli';

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
    expect(wf.jobs.review.permissions).toEqual({ 'contents': 'read', 'pull-requests': 'write' });
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

describe('the review comment of both templates', () => {
  const MARKER = '<!-- cdk8s-guardrails-review -->';

  /** A folder with fake `npm` (writes a report, exits 3: a new violation), `gh` and `curl` that log their calls. */
  function sandbox(): { dir: string; bin: string; log: string; env: NodeJS.ProcessEnv } {
    const dir = mkdtempSync(join(tmpdir(), 'ci-review-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'calls.log');
    const fake = (name: string, body: string): void => {
      write(join(bin, name), `#!/bin/bash\necho "${name} $*" >> "$FAKE_LOG"\n${body}\n`);
      chmodSync(join(bin, name), 0o755);
    };
    fake('npm', `printf '%s\\n## report\\n' '${MARKER}' > review.md\nexit 3`);
    // gh: the comment list (already filtered by --jq) prints the stored id; `pr comment` stores one.
    fake('gh', 'case "$1 $2" in\n  "api repos/"*) cat "$FAKE_DIR/comment" 2>/dev/null; exit 0;;\n  "api --method") exit 0;;\n  "pr comment") echo 42 > "$FAKE_DIR/comment"; exit 0;;\nesac\nexit 9');
    // curl: GET lists the notes, POST creates note 7, PUT edits.
    fake('curl', [
      'method=GET',
      'while [ $# -gt 0 ]; do case "$1" in --request) method=$2; shift;; esac; url=$1; shift; done',
      'case $method in',
      '  GET) cat "$FAKE_DIR/notes" 2>/dev/null || echo \'[]\';;',
      `  POST) echo '[{"id":7,"body":"${MARKER}\\n## report"}]' > "$FAKE_DIR/notes";;`,
      'esac',
    ].join('\n'));
    return { dir, bin, log, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, FAKE_LOG: log, FAKE_DIR: dir } };
  }

  const calls = (log: string): string[] => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

  test('GitHub: the first push creates the comment, the next edits it, and the job fails on new violations', () => {
    const job = load('github-actions.yml').jobs.review;
    const step = (id: (s: any) => boolean): string => job.steps.find(id).run;
    const review = step((s) => s.id === 'review').replace('${{ github.base_ref }}', 'main');
    const comment = step((s) => String(s.name).startsWith('post the report'));
    const fail = job.steps.find((s: any) => String(s.name).startsWith('fail on new'));
    const box = sandbox();
    const env = { ...box.env, GITHUB_OUTPUT: join(box.dir, 'output'), GITHUB_REPOSITORY: 'o/r', GH_TOKEN: 't', PR: '5' };
    for (const push of [1, 2]) {
      execFileSync('bash', ['-e', '-c', review], { cwd: box.dir, env });
      execFileSync('bash', ['-e', '-c', comment], { cwd: box.dir, env });
      const status = /status=(\d+)\s*$/.exec(readFileSync(env.GITHUB_OUTPUT, 'utf8'))![1];
      expect(status).toBe('3');
      expect(fail.if).toBe("steps.review.outputs.status != '0'");
      expect(spawnSync('bash', ['-e', '-c', fail.run.replace('${{ steps.review.outputs.status }}', status)]).status).toBe(3);
      const log = calls(box.log).filter((l) => !l.startsWith('npm'));
      if (push === 1) expect(log.filter((l) => l.startsWith('gh pr comment'))).toEqual(['gh pr comment 5 --body-file review.md']);
      else expect(log[log.length - 1]).toBe('gh api --method PATCH repos/o/r/issues/comments/42 -F body=@review.md');
    }
    expect(calls(box.log).filter((l) => l.startsWith('gh pr comment'))).toHaveLength(1);
  });

  test('GitLab: the first pipeline posts the note, the next edits it, and the job fails on new violations', () => {
    const job = load('gitlab-ci.yml').review;
    const lines: string[] = job.script;
    const from = lines.findIndex((l) => l.startsWith('status=0'));
    const script = lines.slice(from).join('\n');
    const box = sandbox();
    const env = { ...box.env, CI_API_V4_URL: 'https://gitlab.example.com/api/v4', CI_PROJECT_ID: '9', CI_MERGE_REQUEST_IID: '3', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'main', GUARDRAILS_REVIEW_TOKEN: 't' };
    const notes = 'https://gitlab.example.com/api/v4/projects/9/merge_requests/3/notes';
    for (const push of [1, 2]) {
      const run = spawnSync('bash', ['-e', '-c', script], { cwd: box.dir, env, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(3);
      const writes = calls(box.log).filter((l) => l.startsWith('curl') && l.includes('--request'));
      expect(writes).toHaveLength(push);
      expect(writes[push - 1]).toMatch(push === 1 ? new RegExp(`--request POST .* ${notes}$`) : new RegExp(`--request PUT .* ${notes}/7$`));
    }
    expect(JSON.parse(readFileSync(join(box.dir, 'note.json'), 'utf8')).body.startsWith(MARKER)).toBe(true);
  });

  test.each(['gitlab-ci.yml', 'github-actions.yml'])('%s: every review option exists, and every command is a known tool', (file) => {
    const text = readFileSync(join(root, 'examples/ci', file), 'utf8');
    const invocations = [...text.matchAll(/(?:npm run review --|cdk8s-guardrails review) ([^\n]*)/g)].map((m) => m[1]);
    expect(invocations.length).toBeGreaterThan(0);
    for (const args of invocations) {
      for (const option of args.match(/--[a-z-]+/g) ?? []) expect(USAGE).toContain(`${option} `);
    }
    const ci = load(file);
    const scripts: string[] = file === 'gitlab-ci.yml'
      ? Object.values(ci).flatMap((j: any) => (j?.script === undefined ? [] : [...(j.before_script ?? []), ...j.script]))
      : Object.values(ci.jobs).flatMap(githubScript);
    const commandsOf = (line: string): string[] => {
      const line1 = line.trim();
      const substituted = [...line1.matchAll(/\$\((\w[\w-]*)/g)].map((m) => m[1]);
      if (/^\w+=\$\(/.test(line1) || /^\w+=("[^"]*"|\S+)$/.test(line1)) return substituted;
      const first = line1.replace(/^(\w+=("[^"]*"|\S*)\s+)+/, '').split(/\s+/)[0];
      return [...substituted, first].filter((w) => w !== '' && !w.startsWith('#'));
    };
    const tools = new Set(scripts.flatMap((l) => l.split('\n')).flatMap(commandsOf));
    const known = ['npm', 'git', 'kubectl', 'gh', 'curl', 'node', 'test', 'echo', 'export', 'set', 'exit', 'if', 'else', 'fi'];
    for (const tool of tools) expect(known).toContain(tool);
    // the tools this machine has too (gh is preinstalled on GitHub's runners)
    for (const tool of ['git', 'node', 'npm', 'curl', 'kubectl', 'bash']) expect(spawnSync('bash', ['-c', `command -v ${tool}`]).status).toBe(0);
  });
});
