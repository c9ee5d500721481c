/**
 * Loading synthesized trees: folders of multi-document YAML files, read from disk or from a git
 * revision (without checking it out), as a flat list of Kubernetes objects.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isManifestFile, listManifestFiles } from '../manifest-files';

/** One Kubernetes object of a synthesized tree, with the file it came from. */
export interface TreeObject {
  /** The file, relative to the tree's root, with `/` separators. */
  readonly file: string;
  /** The parsed object. */
  readonly object: any;
}

/**
 * Parse a multi-document YAML text. Empty documents and documents that are not objects with a
 * `kind` are skipped; a syntax error throws with the file name.
 */
export function parseManifests(text: string, file: string): TreeObject[] {
  const out: TreeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) {
      throw new Error(`review: cannot parse '${file}': ${doc.errors[0].message}`);
    }
    const object = doc.toJS();
    if (object !== null && typeof object === 'object' && !Array.isArray(object) && typeof object.kind === 'string') {
      out.push({ file, object });
    }
  }
  return out;
}

/** Read every object of the YAML files below `dir` (recursively, in sorted file order). */
export function readManifestTreeFromDir(dir: string): TreeObject[] {
  return listManifestFiles(dir).flatMap((file) => parseManifests(readFileSync(join(dir, file), 'utf8'), file));
}

/** Where to find a tree in a git repository. */
export interface GitTreeOptions {
  /** A directory inside the repository. @default process.cwd() */
  readonly cwd?: string;
  /** The tree's folder, relative to the repository root. @default 'dist' */
  readonly path?: string;
}

/**
 * Read every object of the YAML files below `path` at git revision `ref` with `git ls-tree` and
 * `git show`: the working tree is not touched. File names are relative to `path`.
 */
export function readManifestTreeFromGitRef(ref: string, options: GitTreeOptions = {}): TreeObject[] {
  const cwd = options.cwd ?? process.cwd();
  const folder = (options.path ?? 'dist').replace(/^\.\/+/, '').replace(/\/+$/, '');
  const git = (args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const root = git(['rev-parse', '--show-toplevel']).trim();
  const run = (args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    run(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`review: '${ref}' is neither a directory nor a git revision; pass a folder of YAML files or a commit, branch or tag`);
  }
  const files = run(['ls-tree', '-r', '-z', '--name-only', ref, '--', `${folder}/`])
    .split('\0')
    .filter((f) => f !== '' && isManifestFile(f))
    .sort();
  return files.flatMap((file) => parseManifests(run(['show', `${ref}:${file}`]), posix.relative(folder, file)));
}

/** Read a tree from a directory when `source` is one, else from the git revision `source`. */
export function readManifestTree(source: string, options: GitTreeOptions = {}): TreeObject[] {
  const asDir = resolve(options.cwd ?? process.cwd(), source);
  let isDir = false;
  try {
    isDir = statSync(asDir).isDirectory();
  } catch {
    isDir = false;
  }
  return isDir ? readManifestTreeFromDir(asDir) : readManifestTreeFromGitRef(source, options);
}
