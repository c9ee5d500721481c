import { synthBundledApps } from './bundled-app';

// `npm run synth` and `cdk8s synth` run this file (precompiled by scripts/synth.mjs).
synthBundledApps(process.env.CDK8S_OUTDIR ?? 'dist');
