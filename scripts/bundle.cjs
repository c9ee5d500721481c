// Bundles TypeScript entry points for node with esbuild (no type-checking on these paths: `npm test`
// and `npm run build` type-check). Dependencies stay external, so node_modules resolves them as usual.
// Shared by every script that runs project TypeScript: synth, bench, the secret-leak guard and the
// cdk8s-cli validation plugin.
const { buildSync } = require('esbuild');
const { mkdirSync } = require('node:fs');
const { dirname } = require('node:path');

/**
 * Bundles `entryPoints` into `outfile` (one entry) or `outdir` (several, written as `<name>.cjs`),
 * as CommonJS for the running Node major.
 */
exports.bundle = function bundle({ entryPoints, outfile, outdir }) {
  mkdirSync(outdir ?? dirname(outfile), { recursive: true });
  buildSync({
    entryPoints,
    outfile,
    outdir,
    outExtension: outdir ? { '.js': '.cjs' } : undefined,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
};
