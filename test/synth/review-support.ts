import { runCli } from '../../lib/synth/review/cli';

export * from '../../lib/synth/review-report';
export { computeTraffic } from '../../lib/synth/review/network-flows';
export { selectorMatches } from '../../lib/network/label-selector';
export { diffFields } from '../../lib/synth/review/object-diff';
export { parseManifests } from '../../lib/synth/review/manifest-tree';

/** Runs the command line in-process in `cwd` and collects what it prints. */
export function runCliForTest(argv: readonly string[], cwd: string): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { cwd, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}
