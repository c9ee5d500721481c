// Generates the JSON schemas kubeconform reads, offline, from two local sources:
//  * core Kubernetes types: api/openapi-spec/swagger.json of the k8s.io/kubernetes Go module
//    (path written by install-tools.sh into .tools/k8s-openapi.path);
//  * custom resources: the openAPIV3Schema of every CustomResourceDefinition under crds/ (vendored, see crds/README.md).
//
// Layout (what kubeconform's -schema-location templates resolve to, see scripts/conformance/run.mjs):
//   <out>/v<k8s>-standalone-strict/<kind>[-<group prefix>]-<version>.json   (kubeconform's default naming)
//   <out>/crds/<group>/<kind>_<version>.json                               (the CRDs-catalog naming)
// Strict: every object schema that lists properties gets additionalProperties: false unless it is
// already set or marked x-kubernetes-preserve-unknown-fields, so an unknown field is an error.
//
// Usage: node scripts/conformance/gen-schemas.mjs --openapi <swagger.json> --crds <dir> --out <dir>
//        [--k8s-version 1.28.15]
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { crdToJsonSchema, makeStrict, walkSchemas, writeJson } from './schema-convert.mjs';

// ---------------------------------------------------------------- core types (swagger 2.0)

/** Definitions whose wire form differs from their swagger type. */
function adjustCoreDefinition(name, def) {
  if (def.format === 'int-or-string') {
    // IntOrString: the API server accepts a number or a string.
    return { description: def.description, oneOf: [{ type: 'string' }, { type: 'integer' }] };
  }
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
    // Quantity: declared as a string, but the API server also accepts a plain YAML number (cpu: 1).
    return { description: def.description, oneOf: [{ type: 'string' }, { type: 'number' }] };
  }
  return def;
}

function refName(ref) {
  return ref.replace(/^#\/definitions\//, '');
}

function collectRefs(schema, into) {
  if (!schema || typeof schema !== 'object') return;
  if (Array.isArray(schema)) {
    schema.forEach((s) => collectRefs(s, into));
    return;
  }
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') into.add(refName(value));
    else collectRefs(value, into);
  }
}

function generateCore(openapiFile, outDir) {
  const swagger = JSON.parse(readFileSync(openapiFile, 'utf8'));
  const defs = {};
  for (const [name, def] of Object.entries(swagger.definitions)) {
    const copy = structuredClone(adjustCoreDefinition(name, def));
    walkSchemas(copy, makeStrict);
    defs[name] = copy;
  }
  let count = 0;
  const seen = new Map();
  for (const [name, def] of Object.entries(swagger.definitions)) {
    for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
      // Only top-level objects (they carry apiVersion and kind); skips e.g. DeleteOptions' many GVKs.
      if (!def.properties?.kind || !def.properties?.apiVersion) continue;
      if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.v1.')) continue;
      const groupPrefix = gvk.group ? `-${gvk.group.split('.')[0].toLowerCase()}` : '';
      const file = `${gvk.kind.toLowerCase()}${groupPrefix}-${gvk.version.toLowerCase()}.json`;
      if (seen.has(file)) throw new Error(`schema file ${file} would be written for both ${seen.get(file)} and ${name}`);
      seen.set(file, name);
      // Standalone: the definition plus every definition it reaches, under #/definitions.
      const reached = new Set();
      const queue = [name];
      while (queue.length > 0) {
        const next = queue.pop();
        if (reached.has(next)) continue;
        reached.add(next);
        const found = new Set();
        collectRefs(defs[next], found);
        queue.push(...found);
      }
      reached.delete(name);
      const schema = {
        $schema: 'http://json-schema.org/draft-04/schema#',
        ...structuredClone(defs[name]),
        definitions: Object.fromEntries([...reached].sort().map((n) => [n, defs[n]])),
      };
      // apiVersion and kind must be the ones the file is named for.
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      schema.properties = { ...schema.properties, apiVersion: { type: 'string', enum: [apiVersion] }, kind: { type: 'string', enum: [gvk.kind] } };
      writeJson(join(outDir, file), schema);
      count++;
    }
  }
  return count;
}

// ---------------------------------------------------------------- custom resources (OpenAPI v3)

function yamlFiles(dir) {
  const files = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(entry)) files.push(path);
  }
  return files;
}

function generateCrds(crdDir, outDir) {
  let count = 0;
  const seen = new Map();
  for (const file of yamlFiles(crdDir)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      const { group, names } = crd.spec;
      for (const version of crd.spec.versions ?? []) {
        const v3 = version.schema?.openAPIV3Schema;
        if (!v3) continue;
        const schema = crdToJsonSchema(structuredClone(v3));
        walkSchemas(schema, makeStrict);
        schema.properties = {
          ...schema.properties,
          apiVersion: { type: 'string', enum: [`${group}/${version.name}`] },
          kind: { type: 'string', enum: [names.kind] },
        };
        const target = join(group, `${names.kind.toLowerCase()}_${version.name}.json`);
        if (seen.has(target)) continue; // same CRD shipped twice: the first file (sorted) wins
        seen.set(target, file);
        writeJson(join(outDir, target), { $schema: 'http://json-schema.org/draft-04/schema#', ...schema });
        count++;
      }
    }
  }
  return count;
}

// ---------------------------------------------------------------- main

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1]) return process.argv[i + 1];
  if (fallback !== undefined) return fallback;
  throw new Error(`gen-schemas: missing --${name}`);
}

const openapi = arg('openapi');
const crds = arg('crds');
const out = arg('out');
const k8sVersion = arg('k8s-version', '1.28.15');
rmSync(out, { recursive: true, force: true });
const core = generateCore(openapi, join(out, `v${k8sVersion}-standalone-strict`));
const custom = generateCrds(crds, join(out, 'crds'));
console.log(`gen-schemas: ${core} core schemas (Kubernetes ${k8sVersion}), ${custom} CRD schemas, in ${out}`);
