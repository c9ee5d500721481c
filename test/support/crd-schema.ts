import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parseAllDocuments } from 'yaml';

// Validates custom resources against the openAPIV3Schema of the vendored CRDs in crds/: the schema
// test of the network constructs and the fuzz harness (for every CRD kind it can) both use it.
const CRDS = join(__dirname, '..', '..', 'crds');

let schemas: Map<string, any> | undefined;

/** `apiVersion kind` -> the version's openAPIV3Schema, from every CRD file under crds/. */
function crdSchemas(): Map<string, any> {
  if (schemas) return schemas;
  schemas = new Map();
  for (const folder of readdirSync(CRDS, { withFileTypes: true }).filter(d => d.isDirectory())) {
    for (const file of readdirSync(join(CRDS, folder.name)).filter(f => f.endsWith('.yaml'))) {
      for (const doc of parseAllDocuments(readFileSync(join(CRDS, folder.name, file), 'utf8'))) {
        const crd = doc.toJS();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const v of crd.spec.versions) {
          if (v.schema?.openAPIV3Schema) schemas.set(`${crd.spec.group}/${v.name} ${crd.spec.names.kind}`, v.schema.openAPIV3Schema);
        }
      }
    }
  }
  return schemas;
}

/** Whether a vendored CRD declares the object's apiVersion and kind. */
export function hasCrdSchema(manifest: { apiVersion: string; kind: string }): boolean {
  return crdSchemas().has(`${manifest.apiVersion} ${manifest.kind}`);
}

// Go RE2 patterns may hold the '(?i)' flag group; JavaScript spells it 'i'.
const regExp = Object.assign(
  (pattern: string, flags: string) => (pattern.includes('(?i)') ? new RegExp(pattern.replace('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags)),
  { code: 'RegExp' },
);
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, code: { regExp } });

/**
 * Keeps only the parts of `schema` that `value` uses (the Installation schema is 1.4 MB) and lists
 * fields the schema does not declare: the API server would silently prune them.
 */
function prune(schema: any, value: any, path: string, unknown: string[]): any {
  if (schema === undefined || value === null || typeof value !== 'object') return schema;
  if (Array.isArray(value)) {
    if (schema.items === undefined) return schema;
    const keys = Object.assign({}, ...value.filter(v => v !== null && typeof v === 'object'));
    return { ...schema, items: prune(schema.items, Array.isArray(value[0]) ? value[0] : keys, `${path}[]`, unknown) };
  }
  if (schema.properties === undefined || schema['x-kubernetes-preserve-unknown-fields'] === true) return schema;
  const properties: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!(key in schema.properties)) unknown.push(`${path}.${key}`);
    else properties[key] = prune(schema.properties[key], child, `${path}.${key}`, unknown);
  }
  return { ...schema, properties };
}

/** The field paths of `value` (no values): objects of one shape share a pruned, compiled schema. */
function shapeOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(shapeOf).join(',')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${shapeOf(v)}`).join(',')}}`;
  return '';
}

const compiled = new Map<string, { validate: ReturnType<Ajv['compile']>; unknown: string[] }>();

/** The problems of one custom resource against its CRD (metadata is the API server's to check). */
export function crdSchemaProblems(manifest: any): { object: string; errors: unknown[] }[] {
  const kind = `${manifest.apiVersion} ${manifest.kind}`;
  const { metadata: _metadata, ...body } = manifest;
  const cacheKey = `${kind} ${shapeOf(body)}`;
  let entry = compiled.get(cacheKey);
  if (!entry) {
    const root = crdSchemas().get(kind);
    const unknown: string[] = [];
    const properties: Record<string, unknown> = { metadata: { type: 'object' } };
    for (const [key, child] of Object.entries(root.properties ?? {})) {
      if (key !== 'metadata') properties[key] = prune(child, manifest[key], key, unknown);
    }
    for (const key of Object.keys(manifest)) if (!(key in (root.properties ?? {})) && !['apiVersion', 'kind', 'metadata'].includes(key)) unknown.push(key);
    entry = { validate: ajv.compile({ ...root, properties }), unknown };
    compiled.set(cacheKey, entry);
  }
  const { validate, unknown } = entry;
  validate(manifest);
  const errors = [...unknown.map(f => `unknown field ${f}`), ...(validate.errors ?? []).map(e => `${e.instancePath} ${e.message}`)];
  return errors.length === 0 ? [] : [{ object: `${manifest.apiVersion} ${manifest.kind} ${manifest.metadata?.name}`, errors }];
}
