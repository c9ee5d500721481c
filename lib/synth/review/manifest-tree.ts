/**
 * Loading synthesized trees: folders of multi-document YAML (and JSON) files, read from disk or
 * from a git revision (without checking it out), as a flat list of Kubernetes objects, each with
 * the deployment target it belongs to.
 *
 * Files are read as kubectl reads them: YAML 1.1 (the dialect of the Go YAML library kubectl
 * uses), merge keys (`<<`) resolved, tags resolved (`!!binary` decoded), `kind: *List` objects
 * flattened into their items. What kubectl would refuse (a syntax error, a document that is not an
 * object with a kind) is refused with the file and document named, so nothing is silently left
 * out of a review.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import * as jsyaml from 'js-yaml';
import { compareStrings } from '../manifest-files';

/** One Kubernetes object of a synthesized tree, with the file it came from. */
export interface TreeObject {
  /** The file, relative to the tree's root, with `/` separators. */
  readonly file: string;
  /** The parsed object. */
  readonly object: any;
  /**
   * The deployment target the object belongs to: the nearest folder (relative to the tree's root)
   * holding a `kustomization.yaml`, as `dist/aws/production`; `.` for files outside any such
   * folder. @default '.'
   */
  readonly target?: string;
  /** The object's position in its file (1-based, `List` items counted in order). @default - unknown */
  readonly document?: number;
}

/** The target of files outside every folder that holds a kustomization. */
export const ROOT_TARGET = '.';

const KUSTOMIZATION = /^(kustomization\.ya?ml|Kustomization)$/;

/** Whether a file is read as manifests: `.yaml`, `.yml` or `.json`, except kustomization files. */
export function isReviewedFile(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name) && !KUSTOMIZATION.test(posix.basename(name));
}

/**
 * The YAML 1.1 types kubectl's YAML library (go-yaml v2) resolves, on js-yaml's parser (ten times
 * faster than the `yaml` package's, which keeps the review linear and quick on large trees):
 * booleans include `yes`/`no`/`on`/`off`/`y`/`n`; integers are decimal, `0x` hex, `0b` binary or
 * `0`-prefixed octal (`0o17` stays a string); timestamps stay strings (go-yaml decodes them into
 * strings for untyped values); merge keys and `!!binary` are resolved.
 */
const BOOL_1_1 = new jsyaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/.test(data),
  construct: (data: string) => /^(y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(data),
});

const INT_1_1 = new jsyaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^[-+]?(0b[01_]+|0[0-7_]+|0|[1-9][0-9_]*|0x[0-9a-fA-F_]+)$/.test(data),
  construct: (data: string) => {
    const sign = data.startsWith('-') ? -1 : 1;
    const digits = data.replace(/^[-+]/, '').replace(/_/g, '');
    if (digits.startsWith('0b')) return sign * parseInt(digits.slice(2), 2);
    if (digits.startsWith('0x')) return sign * parseInt(digits.slice(2), 16);
    if (digits.length > 1 && digits.startsWith('0')) return sign * parseInt(digits.slice(1), 8);
    return sign * parseInt(digits, 10);
  },
});

const FLOAT_1_1 = new jsyaml.Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^([-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/.test(data) && data !== '.',
  construct: (data: string) => {
    const text = data.replace(/_/g, '').toLowerCase();
    if (text.endsWith('.inf')) return text.startsWith('-') ? -Infinity : Infinity;
    if (text === '.nan') return NaN;
    return parseFloat(text);
  },
});

// js-yaml exports its built-in types; @types/js-yaml does not declare them.
const builtin = (jsyaml as unknown as { types: Record<'null' | 'merge' | 'binary' | 'omap' | 'pairs' | 'set', jsyaml.Type> }).types;

const KUBECTL_SCHEMA = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtin.null, BOOL_1_1, INT_1_1, FLOAT_1_1, builtin.merge],
  explicit: [builtin.binary, builtin.omap, builtin.pairs, builtin.set],
});

const utf8 = new TextDecoder('utf-8');

/** Plain JSON-like data: binary decoded to strings, as kubectl's YAML-to-JSON step does. */
function normalize(value: unknown, seen = new Map<object, unknown>()): unknown {
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (value === null || typeof value !== 'object') return value;
  // Aliases share one node: convert it once (a chain of aliases must not grow exponentially).
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const item of value) out.push(normalize(item, seen));
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) out[k] = normalize(v, seen);
  return out;
}

function isObjectWithKind(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.kind === 'string' && value.kind !== '';
}

/** The documents of a YAML stream, each with its number, or a clear error naming the file. */
function loadDocuments(text: string, file: string): unknown[] {
  try {
    return jsyaml.loadAll(text, undefined, { schema: KUBECTL_SCHEMA, filename: file, json: false });
  } catch (e) {
    const error = e as { reason?: string; mark?: { line: number; column: number }; message: string };
    const where = error.mark === undefined ? '' : ` (line ${error.mark.line + 1}, column ${error.mark.column + 1})`;
    throw new Error(`review: cannot parse '${file}'${where}: ${error.reason ?? error.message}`);
  }
}

/**
 * Parse a multi-document YAML (or JSON) text as kubectl would. Empty documents are skipped; a
 * syntax error, or a document that is not an object with a `kind`, throws with the file name and
 * the document's number. `kind: List` (any kind ending in `List` with `items`) is flattened.
 */
export function parseManifests(text: string, file: string, target: string = ROOT_TARGET, cache?: ParseCache): TreeObject[] {
  const out: TreeObject[] = [];
  let position = 0;
  let docs = cache?.get(text);
  if (docs === undefined) {
    docs = loadDocuments(text, file).map((doc) => normalize(doc));
    cache?.set(text, docs);
  }
  docs.forEach((value: any, i) => {
    const where = `'${file}' (document ${i + 1})`;
    if (value === null || value === undefined) return;
    const add = (object: any, path: string): void => {
      if (!isObjectWithKind(object)) {
        throw new Error(`review: ${where}${path} is not a Kubernetes object (no kind); kubectl would refuse it: fix or remove it`);
      }
      if (/List$/.test(object.kind) && Array.isArray(object.items)) {
        object.items.forEach((item: any, j: number) => add(item, ` items[${j}]`));
        return;
      }
      out.push({ file, object, target, document: ++position });
    };
    add(value, '');
  });
  return out;
}

/**
 * Parsed documents by file text, shared between the trees of one review: a file that did not
 * change is parsed once, and its objects are the same values in both trees (so comparing them
 * is immediate). Nothing may modify the objects.
 */
export type ParseCache = Map<string, readonly unknown[]>;

/** A file of a tree: its path relative to the root, and how to read it. */
interface TreeFile {
  readonly path: string;
  readonly read: () => string;
}

/** The objects of a tree's files, each with its target (the nearest folder holding a kustomization). */
function objectsOfFiles(files: readonly TreeFile[], kustomizationFolders: ReadonlySet<string>, cache?: ParseCache): TreeObject[] {
  const targetOf = (file: string): string => {
    for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
      if (kustomizationFolders.has(dir)) return dir;
      if (dir === '.' || dir === '/') return ROOT_TARGET;
    }
  };
  return [...files]
    .sort((a, b) => compareStrings(a.path, b.path))
    .flatMap((f) => parseManifests(f.read(), f.path, targetOf(f.path), cache));
}

/**
 * Read every object of the YAML and JSON files below `dir` (recursively, in sorted file order).
 * Symbolic links are followed; a link that loops back to a folder being read, or that points
 * nowhere, is an error naming it.
 */
export function readManifestTreeFromDir(dir: string, options: { readonly cache?: ParseCache } = {}): TreeObject[] {
  let rootStat;
  try {
    rootStat = statSync(dir);
  } catch (e) {
    throw new Error(`review: cannot read the folder '${dir}': ${describeFsError(e)}`);
  }
  if (!rootStat.isDirectory()) throw new Error(`review: '${dir}' is not a folder; pass a folder of YAML files or a git revision`);
  const files: TreeFile[] = [];
  const kustomizations = new Set<string>();
  const walk = (full: string, rel: string, ancestors: readonly string[]): void => {
    const real = realpathSync(full);
    if (ancestors.includes(real)) {
      throw new Error(`review: symbolic link loop: '${join(dir, rel)}' leads back to '${real}', a folder it is inside of; remove the link or point it elsewhere`);
    }
    for (const name of readdirSync(full).sort(compareStrings)) {
      const path = join(full, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      let stat;
      try {
        stat = statSync(path);
      } catch (e) {
        const link = lstatSync(path).isSymbolicLink() ? 'symbolic link ' : '';
        throw new Error(`review: cannot read the ${link}'${join(dir, relPath)}': ${describeFsError(e)}`);
      }
      if (stat.isDirectory()) {
        walk(path, relPath, [...ancestors, real]);
      } else if (KUSTOMIZATION.test(name)) {
        kustomizations.add(rel === '' ? '.' : rel);
      } else if (isReviewedFile(name)) {
        files.push({ path: relPath, read: () => readFileSync(path, 'utf8') });
      }
    }
  };
  walk(dir, '', []);
  return objectsOfFiles(files, kustomizations, options.cache);
}

function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ELOOP': return 'it is a symbolic link loop (a link that resolves to itself); remove the link or point it at a real file';
    case 'ENOENT': return 'it does not exist (or is a symbolic link to nothing)';
    case 'EACCES': return 'permission denied';
    default: return (e as Error).message;
  }
}

/** Where to find a tree in a git repository. */
export interface GitTreeOptions {
  /** A directory inside the repository. @default process.cwd() */
  readonly cwd?: string;
  /** The tree's folder, relative to the repository root. @default 'dist' */
  readonly path?: string;
  /** Parsed file contents to reuse, shared by the trees of one review. @default - none */
  readonly cache?: ParseCache;
}

/**
 * Read every object of the YAML and JSON files below `path` at git revision `ref` with
 * `git ls-tree` and `git show`: the working tree is not touched. File names are relative to `path`.
 */
export function readManifestTreeFromGitRef(ref: string, options: GitTreeOptions = {}): TreeObject[] {
  const cwd = options.cwd ?? process.cwd();
  const folder = (options.path ?? 'dist').replace(/^\.\/+/, '').replace(/\/+$/, '');
  const git = (args: string[], dir: string): string => execFileSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  let root: string;
  try {
    root = git(['rev-parse', '--show-toplevel'], cwd).trim();
  } catch {
    throw new Error(`review: '${ref}' is not a folder, and '${cwd}' is not inside a git repository, so it is not a git revision either; pass an existing folder of YAML files, or run in the repository to name a commit, branch or tag`);
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  } catch {
    throw new Error(`review: '${ref}' is neither a directory nor a git revision; pass a folder of YAML files or a commit, branch or tag`);
  }
  const listed = git(['ls-tree', '-r', '-z', '--name-only', ref, '--', `${folder}/`], root).split('\0').filter((f) => f !== '');
  const kustomizations = new Set(listed.filter((f) => KUSTOMIZATION.test(posix.basename(f))).map((f) => posix.dirname(posix.relative(folder, f))));
  const files = listed.filter(isReviewedFile);
  // One `git cat-file --batch` for all files instead of one `git show` each (linear, one process).
  const contents = readBlobs(root, files.map((f) => `${ref}:${f}`));
  return objectsOfFiles(files.map((f, i) => ({ path: posix.relative(folder, f), read: () => contents[i] })), kustomizations, options.cache);
}

/** The contents of `specs` (`<rev>:<path>`) through one `git cat-file --batch`. */
function readBlobs(cwd: string, specs: readonly string[]): string[] {
  if (specs.length === 0) return [];
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd, input: `${specs.join('\n')}\n`, maxBuffer: 1024 * 1024 * 1024 });
  const contents: string[] = [];
  let at = 0;
  for (const spec of specs) {
    const eol = out.indexOf(0x0a, at);
    const header = out.subarray(at, eol).toString('utf8');
    const size = Number(/^\S+ blob (\d+)$/.exec(header)?.[1]);
    if (!Number.isFinite(size)) throw new Error(`review: git cannot read '${spec}': ${header}`);
    contents.push(out.subarray(eol + 1, eol + 1 + size).toString('utf8'));
    at = eol + 1 + size + 1;
  }
  return contents;
}

/** Read a tree from a directory when `source` is one, else from the git revision `source`. */
export function readManifestTree(source: string, options: GitTreeOptions = {}): TreeObject[] {
  const asDir = resolve(options.cwd ?? process.cwd(), source);
  let isDir = false;
  try {
    isDir = statSync(asDir).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw new Error(`review: cannot read the folder '${source}': ${describeFsError(e)}`);
    isDir = false;
  }
  return isDir ? readManifestTreeFromDir(asDir, options) : readManifestTreeFromGitRef(source, options);
}
