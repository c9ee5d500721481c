import { synthBundledApps } from './bundled-app';
import { describeSynth } from './parts/synth';

// `npm run synth` and `cdk8s synth` run this file (precompiled by scripts/synth.mjs).
const outRoot = process.env.CDK8S_OUTDIR ?? 'dist';
const { written } = synthBundledApps(outRoot);
// Time since the process started: loading the bundle and its dependencies included.
process.stdout.write(describeSynth(outRoot, written, process.uptime()));
