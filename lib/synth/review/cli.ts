/**
 * The `cdk8s-guardrails` command line. One command so far:
 *
 *   cdk8s-guardrails review --base <dir-or-git-ref> --head <dir> [--path dist] [--out report.md]
 *                           [--fail-on-violations | --fail-on-new-violations]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { countFindings, renderReviewReport, reviewTrees } from '../review-report';
import { readManifestTree } from './manifest-tree';

/** Where the command line reads and writes. */
export interface CliIo {
  /** @default process.cwd() */
  readonly cwd?: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export const USAGE = [
  'Usage: cdk8s-guardrails review --base <dir-or-git-ref> --head <dir-or-git-ref> [--path <folder>] [--out <file>] [--fail-on-violations] [--fail-on-new-violations]',
  '',
  'Compares two synthesized trees and writes a Markdown review: a risk summary, then per deployment target',
  '(each folder holding a kustomization.yaml) the objects changed, policy findings and allowed traffic.',
  '',
  '  --base   the tree before the change: a folder of YAML files, or a git revision whose <folder> is read',
  '  --head   the tree after the change (same forms as --base)',
  '  --path   the tree\'s folder inside the repository, for git revisions (default: dist)',
  '  --out    write the Markdown report to this file instead of standard output',
  '  --fail-on-violations       exit with 3 when a policy check finds a violation in the head tree',
  '  --fail-on-new-violations   exit with 3 when head has a violation that base does not have (pull-request gate)',
  '  --help     print this help',
  '',
  'Exit codes: 0 report written, 1 a tree could not be read (or defines an object twice in one target),',
  '2 usage error, 3 violations with --fail-on-violations / --fail-on-new-violations.',
  '',
].join('\n');

/** Parse `--name value` and `--name=value` options; unknown options are an error. */
function parseOptions(args: readonly string[], known: readonly string[], flags: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (match !== null && flags.includes(match[1]) && match[2] === undefined) {
      out[match[1]] = 'true';
      continue;
    }
    if (match === null || !known.includes(match[1])) {
      throw new Error(`unknown argument '${arg}'; expected one of ${[...known, ...flags].map((k) => `--${k}`).join(', ')}`);
    }
    const value = match[2] ?? args[++i];
    if (value === undefined || value === '') throw new Error(`option --${match[1]} needs a value`);
    out[match[1]] = value;
  }
  return out;
}

/** Run the command line; returns the exit code (0 ok, 1 failure, 2 usage error, 3 violations with --fail-on-violations). */
export function runCli(argv: readonly string[], io: CliIo): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'review') {
    io.stderr(`cdk8s-guardrails: unknown command '${command}'; the only command is 'review'\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let options: Record<string, string>;
  try {
    options = parseOptions(rest, ['base', 'head', 'path', 'out'], ['fail-on-violations', 'fail-on-new-violations']);
    for (const required of ['base', 'head']) {
      if (options[required] === undefined) throw new Error(`option --${required} is required`);
    }
  } catch (e) {
    io.stderr(`cdk8s-guardrails review: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const cwd = io.cwd ?? process.cwd();
    const treeOptions = { cwd, path: options.path ?? 'dist', cache: new Map() };
    const base = readManifestTree(options.base, treeOptions);
    const head = readManifestTree(options.head, treeOptions);
    const reportOptions = { baseLabel: options.base, headLabel: options.head };
    const result = reviewTrees(base, head, reportOptions);
    const report = renderReviewReport(base, head, reportOptions, result);
    if (options.out !== undefined) {
      writeFileSync(resolve(cwd, options.out), report);
    } else {
      io.stdout(report);
    }
    const violations = countFindings(result);
    if (options['fail-on-violations'] === 'true' && violations > 0) {
      io.stderr(`cdk8s-guardrails review: ${violations} policy violation${violations === 1 ? '' : 's'} in ${options.head}\n`);
      return 3;
    }
    const newViolations = countFindings(result, true);
    if (options['fail-on-new-violations'] === 'true' && newViolations > 0) {
      io.stderr(`cdk8s-guardrails review: ${newViolations} new policy violation${newViolations === 1 ? '' : 's'} in ${options.head} (not in ${options.base})\n`);
      return 3;
    }
    return 0;
  } catch (e) {
    io.stderr(`cdk8s-guardrails review: ${(e as Error).message.replace(/^review: /, '')}\n`);
    return 1;
  }
}
