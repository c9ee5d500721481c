// docs/review.md stays true: its documented commands run (in a scratch git repository whose
// `main`/`origin/main` hold the fixture base tree and whose dist/ holds the head tree), and its
// sample output is the golden report.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCliForTest } from './review-support';

const root = resolve(__dirname, '../..');
const doc = readFileSync(join(root, 'docs/review.md'), 'utf8');
const fixtures = join(root, 'test/fixtures/review');

/** The command lines of the page's `sh` blocks that run the review, without comments. */
const commands = [...doc.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => m[1].split('\n'))
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter((l) => /^(npm run review --|npx cdk8s-guardrails review)( |$)/.test(l));

/** Shell-like words of a command line (double and single quotes, no expansion needed here). */
const words = (line: string): string[] => [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

describe('docs/review.md', () => {
  let repo: string;
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'review-docs-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    git('init', '-q', '-b', 'main');
    cpSync(join(fixtures, 'base'), join(repo, 'dist'), { recursive: true });
    git('add', '-A');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'base');
    git('update-ref', 'refs/remotes/origin/main', 'HEAD');
    rmSync(join(repo, 'dist'), { recursive: true });
    cpSync(join(fixtures, 'head'), join(repo, 'dist'), { recursive: true });
    cpSync(join(fixtures, 'base'), join(repo, 'old-dist'), { recursive: true });
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('documents review commands', () => {
    expect(commands.length).toBeGreaterThanOrEqual(4);
  });

  test.each(commands)('`%s` runs as documented', (line) => {
    const argv = ['review', ...words(line).slice(line.startsWith('npm') ? 4 : 3)];
    const { code, stdout, stderr } = runCliForTest(argv, repo);
    if (argv.includes('--help')) {
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: cdk8s-guardrails review');
      return;
    }
    // the fixture's head adds a policy violation: the gates fail with 3, everything else succeeds
    const gate = argv.some((a) => a.startsWith('--fail-on'));
    expect({ code, stderr: gate ? '' : stderr }).toEqual({ code: gate ? 3 : 0, stderr: '' });
    const out = argv.indexOf('--out');
    const report = out >= 0 ? readFileSync(join(repo, argv[out + 1]), 'utf8') : stdout;
    expect(report).toContain('- Objects: 3 added, 1 removed, 3 changed');
    if (out >= 0) expect(existsSync(join(repo, argv[out + 1]))).toBe(true);
  });

  test('its sample output is the golden report', () => {
    const sample = /~~~~markdown\n([\s\S]*?)~~~~\n/.exec(doc)![1];
    expect(sample).toBe(readFileSync(join(fixtures, 'expected.md'), 'utf8'));
  });
});
