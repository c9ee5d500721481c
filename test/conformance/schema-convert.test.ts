import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const MODULE = join(__dirname, '..', '..', 'scripts', 'conformance', 'schema-convert.mjs');

/** Calls constraintSchema() of the ES module in a child node (jest runs CommonJS). */
function constraintSchema(template: unknown, version: string): [string, any] {
  const code = `import { constraintSchema } from ${JSON.stringify(MODULE)};
    process.stdout.write(JSON.stringify(constraintSchema(${JSON.stringify(template)}, ${JSON.stringify(version)})));`;
  const r = spawnSync('node', ['--input-type=module', '-e', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

const TEMPLATE = {
  apiVersion: 'templates.gatekeeper.sh/v1',
  kind: 'ConstraintTemplate',
  metadata: { name: 'k8srequiredlabels' },
  spec: {
    crd: { spec: { names: { kind: 'K8sRequiredLabels' }, validation: { openAPIV3Schema: { type: 'object', properties: { labels: { type: 'array', items: { type: 'string' } } } } } } },
  },
};

describe('constraintSchema', () => {
  test('describes the constraint kind a ConstraintTemplate defines, with its parameters strict', () => {
    const [kind, schema] = constraintSchema(TEMPLATE, 'v1beta1');
    expect(kind).toBe('K8sRequiredLabels');
    expect(schema.properties.apiVersion.enum).toEqual(['constraints.gatekeeper.sh/v1beta1']);
    expect(schema.properties.kind.enum).toEqual(['K8sRequiredLabels']);
    expect(schema.properties.spec.additionalProperties).toBe(false);
    expect(schema.properties.spec.properties.parameters).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: { labels: { type: 'array', items: { type: 'string' } } },
    });
  });

  test('throws for a template that names no kind', () => {
    expect(() => constraintSchema({ metadata: { name: 'broken' }, spec: {} }, 'v1'))
      .toThrow(/ConstraintTemplate broken names no kind \(spec.crd.spec.names.kind\)/);
  });
});
