// Bundles TypeScript entry points for node with esbuild (no type-checking on these paths: `npm test`
// and `npm run build` type-check). Dependencies stay external, so node_modules resolves them as usual.
// Shared by every script that runs project TypeScript: synth, bench, the secret-leak guard and the
// cdk8s-cli validation plugin.
//
// A bundle is rebuilt only when it is out of date: beside it, `<bundle>.inputs.json` records a hash
// of every source file esbuild read (from its metafile), of tsconfig.json and of the options; when
// all of them still match, esbuild is not started at all (it costs 0.1–0.7 s of wall time).
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const root = resolve(__dirname, '..');

/** sha256 of a file's content, or null when it is gone. */
function hashFile(file) {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

/** What the bundle depends on besides its sources: the options, esbuild's version and tsconfig.json. */
function keyOf(options) {
  const esbuildVersion = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  return JSON.stringify({ options, esbuildVersion, node: process.versions.node.split('.')[0], tsconfig: hashFile(join(root, 'tsconfig.json')) });
}

/** Whether the bundle recorded in `record` is complete and was built from the current sources. */
function upToDate(record, key, outputs) {
  if (!existsSync(record) || !outputs.every((o) => existsSync(o))) return false;
  try {
    const previous = JSON.parse(readFileSync(record, 'utf8'));
    return previous.key === key && Object.entries(previous.inputs).every(([file, hash]) => hashFile(file) === hash);
  } catch {
    return false;
  }
}

/**
 * Bundles `entryPoints` into `outfile` (one entry) or `outdir` (several, written as `<name>.cjs`),
 * as CommonJS for the running Node major, unless the bundle is up to date.
 * @returns whether esbuild ran
 */
exports.bundle = function bundle({ entryPoints, outfile, outdir }) {
  const out = outdir ?? dirname(outfile);
  mkdirSync(out, { recursive: true });
  const record = outfile ? `${outfile}.inputs.json` : join(outdir, '.bundle.inputs.json');
  const names = Array.isArray(entryPoints) ? entryPoints.map((e) => e.replace(/^.*[\\/]/, '').replace(/\.ts$/, '')) : Object.keys(entryPoints);
  const outputs = outfile ? [outfile] : names.map((n) => join(outdir, `${n}.cjs`));
  const key = keyOf({ entryPoints, outfile, outdir });
  if (upToDate(record, key, outputs)) return false;

  const { buildSync } = require('esbuild');
  const result = buildSync({
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
    metafile: true,
    absWorkingDir: root,
  });
  const inputs = {};
  for (const file of Object.keys(result.metafile.inputs)) {
    const full = resolve(root, file);
    inputs[full] = hashFile(full);
  }
  writeFileSync(record, JSON.stringify({ key, inputs }, null, 1) + '\n');
  return true;
};
