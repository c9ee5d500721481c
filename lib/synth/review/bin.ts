#!/usr/bin/env node
// The `cdk8s-guardrails` executable (package.json `bin`), run from the compiled build/ output.
import { runCli } from './cli';

process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
