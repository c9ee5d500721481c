// cdk8s-cli validation plugin entry for this repository (`validations:` in cdk8s.yaml): bundles
// lib/policy with esbuild (no tsc build needed, dependencies stay external) and re-exports it, so
// `cdk8s synth` runs the same policy pack as `npm run synth`. Packages depending on
// cdk8s-guardrails point `package:` at ./node_modules/cdk8s-guardrails instead.
const { join } = require('node:path');
const { bundle } = require('./bundle.cjs');

const root = join(__dirname, '..');
const outfile = join(root, 'build', 'cdk8s-plugin', 'policy.cjs');
bundle({ entryPoints: [join(root, 'lib', 'policy', 'index.ts')], outfile });
module.exports = require(outfile);
