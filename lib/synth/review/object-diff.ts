/**
 * Object-level and field-level differences between two synthesized trees. Objects are identified
 * by deployment target, apiVersion, kind, namespace and name (an identity twice in one target is
 * an error); fields by JSON-pointer paths (RFC 6901 escaping).
 */
import { compareStrings } from '../manifest-files';
import { ROOT_TARGET, TreeObject } from './manifest-tree';

/** The identity of an object in a tree. */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  /** Empty for cluster-scoped objects (and namespaced objects that leave it to the apply). */
  readonly namespace: string;
  readonly name: string;
}

/** One field that differs; `undefined` stands for an absent field. */
export interface FieldChange {
  /** JSON pointer, e.g. `/spec/template/spec/containers/0/image`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
  /** The value is secret (a Secret's `data`/`stringData`): never print it. */
  readonly masked: boolean;
}

/** An object present in both trees whose fields differ. */
export interface ChangedObject {
  readonly id: ObjectId;
  /** The deployment target (see {@link TreeObject.target}). */
  readonly target: string;
  readonly file: string;
  readonly changes: readonly FieldChange[];
  /** The object in base and in head. */
  readonly before: any;
  readonly after: any;
}

/** An object present in only one tree. */
export interface ListedObject {
  readonly id: ObjectId;
  /** The deployment target (see {@link TreeObject.target}). */
  readonly target: string;
  readonly file: string;
  /** The object. */
  readonly object: any;
}

/** Everything that differs between two trees, each list sorted by target, then object identity. */
export interface TreeDiff {
  readonly added: readonly ListedObject[];
  readonly removed: readonly ListedObject[];
  readonly changed: readonly ChangedObject[];
}

/** The identity of a manifest. */
export function objectId(object: any): ObjectId {
  return {
    apiVersion: String(object?.apiVersion ?? ''),
    kind: String(object?.kind ?? ''),
    namespace: String(object?.metadata?.namespace ?? ''),
    name: String(object?.metadata?.name ?? ''),
  };
}

/** `apps/v1 Deployment production/user-service` (`Namespace production` when cluster-scoped). */
export function formatObjectId(id: ObjectId): string {
  return `${id.apiVersion} ${id.kind} ${id.namespace === '' ? '' : `${id.namespace}/`}${id.name}`;
}

/** A sort key: kind first, so a reviewer reads all Deployments together. */
function sortKey(id: ObjectId): string {
  return [id.kind, id.namespace, id.name, id.apiVersion].join('\u0000');
}


function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether `path` of an object of kind `kind` holds a secret value. */
export function isSecretPath(kind: string, path: string): boolean {
  return kind === 'Secret' && (/^\/(data|stringData)(\/|$)/.test(path) || path.startsWith(`/metadata/annotations/${LAST_APPLIED}`));
}

function holdsLastApplied(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes('kubectl.kubernetes.io/last-applied-configuration');
}

/** kubectl's copy of the whole object (data included) on client-side apply. */
const LAST_APPLIED = 'kubectl.kubernetes.io~1last-applied-configuration';

/**
 * Field-level differences between two values, in path order (object keys sorted, array items by
 * index). Two arrays are compared item by item; extra items show as added or removed.
 */
export function diffFields(before: unknown, after: unknown, kind = ''): FieldChange[] {
  const out: FieldChange[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (a === b) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareStrings);
      for (const key of keys) {
        walk(a[key], b[key], `${path}/${escapePointer(key)}`);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        walk(a[i], b[i], `${path}/${i}`);
      }
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      const masked = isSecretPath(kind, path) || (kind === 'Secret' && /^\/metadata(\/annotations)?$/.test(path) && [a, b].some(holdsLastApplied));
      out.push({ path: path === '' ? '/' : path, before: a, after: b, masked });
    }
  };
  walk(before, after, '');
  return out;
}

/**
 * The identity of a tree's object. An object without a name (a kubeadm configuration for nodes,
 * not an API object) is identified by its file and document instead.
 */
export function identify(entry: TreeObject): ObjectId {
  const id = objectId(entry.object);
  if (id.name !== '') return id;
  return { ...id, name: `(${entry.file}${(entry.document ?? 1) > 1 ? ` #${entry.document}` : ''})` };
}

/** Where an object is defined, for messages: `'a/b.yaml' (document 3)`. */
function location(entry: TreeObject): string {
  return `'${entry.file}'${entry.document === undefined ? '' : ` (document ${entry.document})`}`;
}

/**
 * The objects of a tree by target and identity. An identity twice in one target is an error that
 * names both places: kubectl would apply one of them, and a review must not guess which.
 */
export function indexTree(tree: readonly TreeObject[], label: string): Map<string, { id: ObjectId; entry: TreeObject }> {
  const map = new Map<string, { id: ObjectId; entry: TreeObject }>();
  for (const entry of tree) {
    const id = identify(entry);
    const target = entry.target ?? ROOT_TARGET;
    const key = `${target}\u0001${sortKey(id)}`;
    const first = map.get(key);
    if (first !== undefined) {
      throw new Error(`review: ${formatObjectId(id)} is defined twice in target '${target}' of ${label}: in ${location(first.entry)} and in ${location(entry)}; `
        + 'a target must define each object once: remove one, or put them in separate target folders (each with a kustomization.yaml)');
    }
    map.set(key, { id, entry });
  }
  return map;
}

/** Compare two trees target by target, object by object, then field by field. */
export function diffTrees(base: readonly TreeObject[], head: readonly TreeObject[], labels: { base?: string; head?: string } = {}): TreeDiff {
  const before = indexTree(base, labels.base ?? 'base');
  const after = indexTree(head, labels.head ?? 'head');
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareStrings);
  const added: ListedObject[] = [];
  const removed: ListedObject[] = [];
  const changed: ChangedObject[] = [];
  for (const key of keys) {
    const b = before.get(key);
    const a = after.get(key);
    if (b === undefined && a !== undefined) {
      added.push({ id: a.id, target: a.entry.target ?? ROOT_TARGET, file: a.entry.file, object: a.entry.object });
    } else if (a === undefined && b !== undefined) {
      removed.push({ id: b.id, target: b.entry.target ?? ROOT_TARGET, file: b.entry.file, object: b.entry.object });
    } else if (a !== undefined && b !== undefined) {
      const changes = diffFields(b.entry.object, a.entry.object, a.id.kind);
      if (changes.length > 0) {
        changed.push({ id: a.id, target: a.entry.target ?? ROOT_TARGET, file: a.entry.file, changes, before: b.entry.object, after: a.entry.object });
      }
    }
  }
  return { added, removed, changed };
}
