import { createBundledApp } from './bundled-app';

// `npm run synth` and `cdk8s synth` run this file (precompiled by scripts/synth.mjs).
createBundledApp(process.env.CDK8S_OUTDIR ?? 'dist').synth();
