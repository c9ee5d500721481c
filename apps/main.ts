import { rmSync } from 'node:fs';
import { createBundledApps } from './bundled-app';

// `npm run synth` and `cdk8s synth` run this file (precompiled by scripts/synth.mjs).
const outRoot = process.env.CDK8S_OUTDIR ?? 'dist';
rmSync(outRoot, { recursive: true, force: true }); // a removed stack must not linger in dist/
for (const { app } of createBundledApps(outRoot)) app.synth();
