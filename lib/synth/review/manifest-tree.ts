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
import { parseAllDocuments } from 'yaml';
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

/** Node's `Buffer`-free UTF-8 decoding of `!!binary` values (what kubectl's YAML library does). */
const utf8 = new TextDecoder('utf-8');

/** Plain JSON-like data: binary decoded to strings, dates kept as their text. */
function normalize(value: unknown): unknown {
  if (value instanceof Uint8Array) return utf8.decode(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(normalize);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), normalize(v)]));
  if (value instanceof Set) return Object.fromEntries([...value].map((k) => [String(k), null]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  }
  return value;
}

function isObjectWithKind(value: any): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.kind === 'string' && value.kind !== '';
}

/**
 * Parse a multi-document YAML (or JSON) text as kubectl would. Empty documents are skipped; a
 * syntax error, or a document that is not an object with a `kind`, throws with the file name and
 * the document's number. `kind: List` (any kind ending in `List` with `items`) is flattened.
 */
export function parseManifests(text: string, file: string, target: string = ROOT_TARGET): TreeObject[] {
  const out: TreeObject[] = [];
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [docs];
  let position = 0;
  list.forEach((doc, i) => {
    const where = `'${file}' (document ${i + 1})`;
    if (doc.errors.length > 0) {
      throw new Error(`review: cannot parse ${where}: ${doc.errors[0].message.split('\n')[0]}`);
    }
    const value = normalize(doc.toJS({ maxAliasCount: 1000 }));
    if (value === null || value === undefined) return;
    const add = (object: any, path: string): void => {
      if (!isObjectWithKind(object)) {
        throw new Error(`review: ${where}${path} is not a Kubernetes object (no kind); kubectl would refuse it: fix or remove it`);
      }
      if (/List$/.test(object.kind) && Array.isArray(object.items)) {
        object.items.forEach((item: any, j: number) => add(item, `${path} items[${j}]`));
        return;
      }
      out.push({ file, object, target, document: ++position });
    };
    add(value, '');
  });
  return out;
}

/** A file of a tree: its path relative to the root, and how to read it. */
interface TreeFile {
  readonly path: string;
  readonly read: () => string;
}

/** The objects of a tree's files, each with its target (the nearest folder holding a kustomization). */
function objectsOfFiles(files: readonly TreeFile[], kustomizationFolders: ReadonlySet<string>): TreeObject[] {
  const targetOf = (file: string): string => {
    for (let dir = posix.dirname(file); ; dir = posix.dirname(dir)) {
      if (kustomizationFolders.has(dir)) return dir;
      if (dir === '.' || dir === '/') return ROOT_TARGET;
    }
  };
  return [...files]
    .sort((a, b) => compareStrings(a.path, b.path))
    .flatMap((f) => parseManifests(f.read(), f.path, targetOf(f.path)));
}

/**
 * Read every object of the YAML and JSON files below `dir` (recursively, in sorted file order).
 * Symbolic links are followed; a link that loops back to a folder being read, or that points
 * nowhere, is an error naming it.
 */
export function readManifestTreeFromDir(dir: string): TreeObject[] {
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
  return objectsOfFiles(files, kustomizations);
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
  return objectsOfFiles(files.map((f, i) => ({ path: posix.relative(folder, f), read: () => contents[i] })), kustomizations);
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
  return isDir ? readManifestTreeFromDir(asDir) : readManifestTreeFromGitRef(source, options);
}
