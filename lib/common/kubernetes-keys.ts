// Rules the API server applies to names, keys and sizes that constructs derive or pass through,
// so that a value it would refuse fails at synth, naming the construct path and the fix.
import { IConstruct } from 'constructs';
import { fail, show } from './errors';
import { isQualifiedName } from './validation';

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** The 1 MiB the API server allows for the data of one ConfigMap or Secret. */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;
/** The 256 KiB the API server allows for all annotations of one object (keys and values). */
export const MAX_ANNOTATION_BYTES = 256 * 1024;

/** True when `name` is a DNS-1035 label: a Service name (63 characters, starting with a letter). */
export function isDns1035Label(name: string): boolean {
  return name.length <= 63 && DNS1035_LABEL.test(name);
}

/** True when `key` is a valid ConfigMap or Secret key (and so a valid key to read from one). */
export function isConfigMapKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && CONFIG_MAP_KEY.test(key) && key !== '.' && key !== '..' && !key.startsWith('..');
}

/**
 * Throws unless `name` is a valid Service name (DNS-1035 label). `what` says where the name comes
 * from, e.g. `"the headless Service name (from 'name')"`.
 */
export function validateServiceName(scope: IConstruct, what: string, name: string): void {
  if (!isDns1035Label(name)) {
    const why = name.length > 63 ? `is ${name.length} characters long, over the 63 a Service name allows` : 'is not a DNS-1035 label';
    fail(scope, `${what} ${show(name)} ${why}: a Service name needs at most 63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit; change 'name' (e.g. 'orders-db').`);
  }
}

/**
 * Throws unless `name` fits in `max` characters; for names Kubernetes derives further names from
 * (a StatefulSet's `controller-revision-hash` label is `<name>-<10-character hash>`, so 52).
 */
export function validateNameLength(scope: IConstruct, what: string, name: string, max: number, why: string): void {
  if (name.length > max) {
    fail(scope, `${what} ${show(name)} is ${name.length} characters long, over the ${max} allowed because ${why}; shorten 'name'.`);
  }
}

/** Throws unless `key` is a valid ConfigMap/Secret key (letters, digits, '-', '_', '.'; 253 characters). */
export function validateConfigMapKey(scope: IConstruct, what: string, key: string, example = 'DATABASE_URL'): void {
  if (!isConfigMapKey(key)) {
    fail(scope, `${what} ${show(key)} is not a valid ConfigMap or Secret key: use at most 253 letters, digits, '-', '_' and '.', not '.' or '..' (e.g. ${show(example)}).`);
  }
}

/** Throws unless the values of `data` total at most 1 MiB (UTF-8), the API server's limit. */
export function validateConfigMapSize(scope: IConstruct, what: string, data: Record<string, string>): void {
  let bytes = 0;
  for (const value of Object.values(data)) bytes += Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_CONFIG_MAP_BYTES) {
    fail(scope, `${what} holds ${bytes} bytes, over the ${MAX_CONFIG_MAP_BYTES}-byte (1 MiB) limit of a ConfigMap; split it, or keep large files in the image or a volume.`);
  }
}

/**
 * Throws unless every annotation key is a qualified name (`[prefix/]name`) and keys and values
 * together stay within 256 KiB.
 */
export function validateAnnotations(scope: IConstruct, what: string, annotations: Record<string, string>): void {
  let bytes = 0;
  for (const [key, value] of Object.entries(annotations)) {
    if (!isQualifiedName(key)) {
      fail(scope, `${what} key ${show(key)} is not a valid annotation key: use '[prefix/]name' with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_' or '.' (e.g. 'example.com/owner').`);
    }
    bytes += Buffer.byteLength(key, 'utf8') + Buffer.byteLength(String(value), 'utf8');
  }
  if (bytes > MAX_ANNOTATION_BYTES) {
    fail(scope, `${what} total ${bytes} bytes, over the ${MAX_ANNOTATION_BYTES}-byte (256 KiB) limit of an object's annotations; keep large data in a ConfigMap.`);
  }
}

/** True when `reason` has text: a blank reason (`'  '`) explains nothing and counts as none. */
export function hasReason(reason: string | undefined): reason is string {
  return typeof reason === 'string' && reason.trim().length > 0;
}
