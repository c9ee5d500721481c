import { parseAllDocuments } from 'yaml';
import { GuardrailError } from '../common/errors';

/** One object as kubectl would send it to the API server. */
export type ReadManifest = Record<string, any>;

/**
 * Reads a manifest file the way kubectl does, for checks that must not be fooled by YAML tricks:
 * `.json` files as JSON; other files as a YAML 1.1 stream with anchors, aliases and `<<` merge keys
 * resolved and tags applied (`!!binary U2VjcmV0` is the string `Secret`, as go-yaml decodes it);
 * timestamps stay strings, as kubectl keeps them; every `kind: List` (or `…List`) is replaced by its
 * `items`, recursively, as `kubectl apply` does. Empty documents are skipped.
 *
 * Throws a {@link GuardrailError} naming the file for anything it cannot read with certainty:
 * a syntax error, a warning (such as an unknown tag), a duplicate key, a document that is not an
 * object. A check that cannot read a file must fail, not skip it.
 */
export function readManifests(text: string, fileName: string): ReadManifest[] {
  const values: unknown[] = [];
  if (/\.json$/i.test(fileName)) {
    try {
      values.push(JSON.parse(text));
    } catch (e) {
      throw new GuardrailError(`${fileName}: cannot be read as JSON (${(e as Error).message}); fix the file so kubectl and this check read the same objects.`);
    }
  } else {
    const docs = parseAllDocuments(text, {
      version: '1.1',
      merge: true,
      uniqueKeys: true,
      // kubectl (go-yaml v2) keeps timestamps as strings; everything else resolves as in YAML 1.1.
      customTags: tags => tags.filter(t => (typeof t === 'string' ? t : t.tag) !== 'tag:yaml.org,2002:timestamp'),
    });
    const list = Array.isArray(docs) ? docs : [docs];
    list.forEach((doc, i) => {
      const problems = [...doc.errors, ...doc.warnings];
      if (problems.length > 0) {
        throw new GuardrailError(`${fileName}: document #${i} cannot be read with certainty (${problems[0].message.split('\n')[0]}); fix the YAML so kubectl and this check read the same objects.`);
      }
      values.push(doc.toJS({ maxAliasCount: 1000 }));
    });
  }
  const manifests: ReadManifest[] = [];
  const add = (value: unknown, where: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw new GuardrailError(`${fileName}: ${where} is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}, not a Kubernetes object; kubectl would refuse it too.`);
    }
    const object = normalize(value) as ReadManifest;
    if (typeof object.kind === 'string' && /List$/.test(object.kind) && Array.isArray(object.items)) {
      object.items.forEach((item: unknown, j: number) => add(item, `${where} item #${j}`));
      return;
    }
    manifests.push(object);
  };
  values.forEach((v, i) => add(v, `document #${i}`));
  return manifests;
}

/** Binary scalars become the text they encode (go-yaml decodes `!!binary` into a string); maps become objects. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(normalize(k)), normalize(v)]));
  if (value instanceof Set) return Object.fromEntries([...value].map(k => [String(normalize(k)), null]));
  if (Array.isArray(value)) return value.map(normalize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}
