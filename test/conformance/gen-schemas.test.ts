import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'conformance-schemas');

/** Runs scripts/conformance/gen-schemas.mjs on the small fixtures into a fresh folder. */
function generate(): string {
  const out = mkdtempSync(join(tmpdir(), 'gen-schemas-'));
  const r = spawnSync('node', [
    join(ROOT, 'scripts', 'conformance', 'gen-schemas.mjs'),
    '--openapi', join(FIXTURES, 'swagger.json'),
    '--crds', join(FIXTURES, 'crds'),
    '--out', out,
    '--k8s-version', '1.28.15',
  ], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return out;
}

function read(out: string, ...path: string[]): any {
  return JSON.parse(readFileSync(join(out, ...path), 'utf8'));
}

describe('gen-schemas', () => {
  let out: string;
  beforeAll(() => { out = generate(); });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('names core schemas the way kubeconform looks them up, one per top-level kind', () => {
    expect(readdirSync(join(out, 'v1.28.15-standalone-strict')).sort()).toEqual(['deployment-apps-v1.json', 'service-v1.json']);
  });

  test('core schemas are standalone, strict and pin apiVersion and kind', () => {
    const d = read(out, 'v1.28.15-standalone-strict', 'deployment-apps-v1.json');
    expect(d.additionalProperties).toBe(false);
    expect(d.properties.apiVersion.enum).toEqual(['apps/v1']);
    expect(d.properties.kind.enum).toEqual(['Deployment']);
    expect(Object.keys(d.definitions).sort()).toEqual([
      'io.k8s.api.apps.v1.DeploymentSpec',
      'io.k8s.apimachinery.pkg.api.resource.Quantity',
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
      'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    ]);
    expect(d.definitions['io.k8s.api.apps.v1.DeploymentSpec'].additionalProperties).toBe(false);
    // a map keeps its declared value schema
    expect(d.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties.labels.additionalProperties).toEqual({ type: 'string' });
  });

  test('IntOrString and Quantity accept numbers as the API server does', () => {
    const d = read(out, 'v1.28.15-standalone-strict', 'deployment-apps-v1.json');
    expect(d.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf).toEqual([{ type: 'string' }, { type: 'integer' }]);
    expect(d.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity'].oneOf).toEqual([{ type: 'string' }, { type: 'number' }]);
  });

  test('converts CRD OpenAPI v3 extensions into JSON Schema under crds/<group>/<kind>_<version>.json', () => {
    const w = read(out, 'crds', 'example.com', 'widget_v1.json');
    expect(w.properties.kind.enum).toEqual(['Widget']);
    expect(w.properties.apiVersion.enum).toEqual(['example.com/v1']);
    expect(w.properties.spec.additionalProperties).toBe(false);
    expect(w.properties.spec.properties.port.oneOf).toEqual([{ type: 'string' }, { type: 'integer' }]);
    expect(w.properties.spec.properties.port.type).toBeUndefined();
    expect(w.properties.spec.properties.note.type).toEqual(['string', 'null']);
    // preserve-unknown-fields stays open
    expect(w.properties.spec.properties.extra.additionalProperties).toBeUndefined();
  });

  test('writes byte-identical output on a second run', () => {
    const again = generate();
    try {
      const file = join('v1.28.15-standalone-strict', 'deployment-apps-v1.json');
      expect(readFileSync(join(again, file), 'utf8')).toBe(readFileSync(join(out, file), 'utf8'));
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});
