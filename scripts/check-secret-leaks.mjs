// Checks the synthesized manifests for leaked secrets (lib/secrets/leak-guard.ts):
// Secrets with literal data and no opt-in marker, Secrets over 1 MiB, literal ExternalSecret
// templates, and known secret values. Every .yaml/.yml/.json file is read as kubectl reads it
// (List items, merge keys, tags; lib/secrets/manifest-reader.ts); a file it cannot read fails.
// Usage: node scripts/check-secret-leaks.mjs [dir=dist]
// Known values (never committed) come from the environment: KNOWN_SECRET_VALUES, one per line.
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './bundle.cjs';

const root = join(import.meta.dirname, '..');
const outfile = join(root, 'build', 'scripts', 'leak-guard.cjs');
bundle({ entryPoints: [join(root, 'lib', 'secrets', 'leak-guard.ts')], outfile });
const { findSecretLeaks, readManifests } = createRequire(import.meta.url)(outfile);

const dir = process.argv[2] ?? join(root, 'dist');
const files = [];
(function walk(d) {
  for (const name of readdirSync(d).sort()) {
    const path = join(d, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ya?ml|json)$/i.test(name)) files.push(path);
  }
})(dir);

const known = (process.env.KNOWN_SECRET_VALUES ?? '').split('\n').filter((v) => v.length > 0);
let failed = false;
for (const file of files) {
  let manifests;
  try {
    manifests = readManifests(readFileSync(file, 'utf8'), file);
  } catch (e) {
    console.error(e.message); // names the file
    failed = true;
    continue;
  }
  const errors = findSecretLeaks(manifests, known);
  for (const e of errors) console.error(`${file}: ${e}`);
  failed ||= errors.length > 0;
}
if (failed) process.exit(1);
console.log(`No secret leaks in ${files.length} file(s) under ${dir} (${known.length} known value(s) checked).`);
