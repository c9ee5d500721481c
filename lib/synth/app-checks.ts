import { GuardrailError } from '../common/errors';
import type { BeforeWriteHook, SynthesizedChart } from './synth-app';

/**
 * Fails when two objects of the app are the same Kubernetes object: same API group, kind,
 * namespace and name (the version does not matter: `apps/v1` and `apps/v1beta2` Deployments `x`
 * are one object). The second would silently replace the first at apply time. The message names
 * both construct paths.
 */
export function checkUniqueObjects(charts: readonly SynthesizedChart[]): void {
  const seen = new Map<string, string>();
  for (const { objects } of charts) {
    for (const { apiObject, manifest } of objects) {
      const apiVersion = String(manifest.apiVersion ?? '');
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
      const namespace = manifest.metadata?.namespace;
      const name = manifest.metadata?.name;
      const key = JSON.stringify([group, manifest.kind, namespace ?? '', name]);
      const path = apiObject.node.path;
      const first = seen.get(key);
      if (first !== undefined) {
        const where = namespace === undefined ? `'${name}'` : `'${namespace}/${name}'`;
        throw new GuardrailError(
          `${manifest.kind} ${where} (${apiVersion}) is defined twice, by '${first}' and by '${path}'; ` +
          'the second would replace the first when applied: give one of them another name (construct id) or namespace.',
        );
      }
      seen.set(key, path);
    }
  }
}

/** Lone UTF-16 surrogates: not encodable as UTF-8, so no file can carry them. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Fails when a manifest holds a value no YAML file can carry as given: a number that is NaN or
 * infinite (it would be written as `.nan`/`.inf`, which the API server refuses), or a string
 * (value or key) with an unpaired UTF-16 surrogate (not valid UTF-8). Names the construct path
 * and the field.
 */
export function checkWritableValues(charts: readonly SynthesizedChart[]): void {
  for (const { objects } of charts) {
    for (const { apiObject, manifest } of objects) {
      const problem = findUnwritable(manifest, '');
      if (problem) {
        throw new GuardrailError(
          `${apiObject.constructor.name} '${apiObject.node.path}': ${manifest.kind} field '${problem.field || '.'}' ${problem.why}; pass a finite number or valid Unicode text.`,
        );
      }
    }
  }
}

function findUnwritable(value: unknown, field: string): { field: string; why: string } | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { field, why: `is ${value}, which Kubernetes cannot read` };
  }
  if (typeof value === 'string') {
    return LONE_SURROGATE.test(value) ? { field, why: `holds an unpaired UTF-16 surrogate (${JSON.stringify(value)}), which is not valid UTF-8` } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnwritable(value[i], `${field}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) return { field: `${field}.${JSON.stringify(key)}`, why: 'is a key with an unpaired UTF-16 surrogate, which is not valid UTF-8' };
      const found = findUnwritable(child, `${field}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The whole-app checks every synth should run before writing (register it first among the
 * `beforeWrite` hooks): no object defined twice, no value a YAML file cannot carry.
 */
export const appIntegrityHook: BeforeWriteHook = charts => {
  checkUniqueObjects(charts);
  checkWritableValues(charts);
};
