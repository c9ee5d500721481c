// JSON Schema helpers shared by gen-schemas.mjs (offline schemas for kubeconform) and run.mjs
// (schemas of Gatekeeper constraint kinds, which exist only once a ConstraintTemplate defines them).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Sorts object keys recursively so the output is byte-identical across runs. */
export function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted(value[k])]));
  }
  return value;
}

export function writeJson(file, value) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(sorted(value), null, 1) + '\n');
}

/** Walks a schema tree, applying fn to every schema object (bottom-up is not needed here). */
export function walkSchemas(schema, fn) {
  if (!schema || typeof schema !== 'object') return;
  fn(schema);
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    for (const child of Object.values(schema[key] ?? {})) walkSchemas(child, fn);
  }
  for (const key of ['items', 'additionalProperties', 'not']) {
    if (schema[key] && typeof schema[key] === 'object') {
      if (Array.isArray(schema[key])) schema[key].forEach((s) => walkSchemas(s, fn));
      else walkSchemas(schema[key], fn);
    }
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    for (const child of schema[key] ?? []) walkSchemas(child, fn);
  }
}

export function makeStrict(schema) {
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    schema.additionalProperties = false;
  }
}

/** Rewrites Kubernetes' OpenAPI v3 extensions into plain JSON Schema (draft 4) keywords. */
export function crdToJsonSchema(schema) {
  if (Array.isArray(schema)) return schema.map(crdToJsonSchema);
  if (!schema || typeof schema !== 'object') return schema;
  const out = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'patternProperties' || key === 'definitions') {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, crdToJsonSchema(v)]));
    } else if (key === 'enum' || key === 'required' || key === 'default' || key === 'example') {
      out[key] = value;
    } else if (value && typeof value === 'object') {
      out[key] = crdToJsonSchema(value);
    } else {
      out[key] = value;
    }
  }
  if (out['x-kubernetes-int-or-string']) {
    delete out.type;
    out.oneOf = [{ type: 'string' }, { type: 'integer' }];
  }
  if (out.nullable === true && typeof out.type === 'string') {
    out.type = [out.type, 'null'];
  }
  delete out.nullable;
  return out;
}

/**
 * The strict schema of the constraint kind a Gatekeeper ConstraintTemplate defines: Gatekeeper's
 * constraint CRD (spec.match, spec.enforcementAction, spec.parameters) with the template's
 * parameter schema under spec.parameters. Returns [kind, schema].
 */
export function constraintSchema(template, version) {
  const kind = template.spec?.crd?.spec?.names?.kind;
  if (!kind) throw new Error(`ConstraintTemplate ${template.metadata?.name} names no kind (spec.crd.spec.names.kind)`);
  const v3 = template.spec.crd.spec.validation?.openAPIV3Schema;
  const parameters = v3 ? crdToJsonSchema(structuredClone(v3)) : { type: 'object' };
  walkSchemas(parameters, makeStrict);
  const schema = {
    $schema: 'http://json-schema.org/draft-04/schema#',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata'],
    properties: {
      apiVersion: { type: 'string', enum: [`constraints.gatekeeper.sh/${version}`] },
      kind: { type: 'string', enum: [kind] },
      metadata: { type: 'object' },
      spec: {
        type: 'object',
        additionalProperties: false,
        properties: {
          // Gatekeeper's match and scoped actions are long structures of their own; their
          // correctness is Gatekeeper's admission check, not this one.
          match: { type: 'object' },
          enforcementAction: { type: 'string' },
          scopedEnforcementActions: { type: 'array' },
          parameters,
        },
      },
      status: { type: 'object' },
    },
    additionalProperties: false,
  };
  return [kind, schema];
}
