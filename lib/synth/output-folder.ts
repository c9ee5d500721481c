import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GuardrailError } from '../common/errors';

/** Options of {@link writeOutputFolder}. */
export interface OutputFolderOptions {
  /**
   * Keep the files of the old folder that the new tree does not write (stock `App.synth()` only
   * ever adds and overwrites files); `false` replaces the folder with exactly the new tree.
   * @default true
   */
  readonly keepUnwritten?: boolean;

  /**
   * Flush the new tree to disk before it replaces the old one, so a power loss cannot leave a
   * folder of empty files. A killed process needs no flush: the swap alone is atomic for it.
   * @default true
   */
  readonly durable?: boolean;
}

/** How the folder was replaced: swapped as a whole, or file by file (when it cannot be renamed). */
export type OutputFolderMode = 'swap' | 'in-place';

/**
 * Writes a complete new tree for the folder `outdir` and switches to it atomically for any process
 * that reads the folder or kills the writer:
 *
 * 1. takes a lock beside the folder (`.<name>.synth-lock`): a second synth into the same folder
 *    fails with an error naming the first (a lock left by a killed synth is taken over);
 * 2. finishes or undoes a switch a killed synth left half done, and removes its leftover folders;
 * 3. `write` fills a new folder beside `outdir` (`.<name>.synth-staging-*`, same file system);
 * 4. with `keepUnwritten`, hard-links the old folder's other files into it;
 * 5. flushes it to disk, renames it `.<name>.synth-ready-*` (the mark of a complete tree), renames
 *    the old folder away (`.<name>.synth-old-*`), renames the new one into place and removes the
 *    old one. A synth killed between the two renames leaves no `outdir` and a ready tree, which
 *    the next synth (or {@link recoverOutputFolder}) renames into place.
 *
 * When `write` or anything before the switch fails, `outdir` is left exactly as it was.
 *
 * A folder that is the working directory or contains it (e.g. `outdir: '.'`), or a file system
 * root, cannot be renamed away: then the new files are written into a staging folder inside it,
 * flushed, and renamed into place one by one (each file switches atomically, the set does not).
 *
 * @returns what `write` returned
 */
export function writeOutputFolder<T>(
  outdir: string, write: (dir: string) => T, options: OutputFolderOptions = {},
): { result: T; mode: OutputFolderMode } {
  const target = targetOf(outdir);
  if (fs.existsSync(target) && !fs.statSync(target).isDirectory()) {
    throw new GuardrailError(`synth: the output folder '${outdir}' is a file; move or remove it, or choose another outdir.`);
  }
  const inPlace = cannotRename(target);
  if (inPlace && options.keepUnwritten === false) {
    throw new GuardrailError(`synth: cannot replace '${outdir}' as a whole: it is the working directory, one of its parents or a file system root; synthesize into a sub-folder.`);
  }
  const lock = OutputLock.acquire(inPlace ? path.join(target, '.synth-lock') : lockPathOf(target), outdir);
  try {
    if (inPlace) return { result: writeInPlace(target, write, options), mode: 'in-place' };
    recover(target);
    return { result: swap(target, write, options), mode: 'swap' };
  } finally {
    lock.release();
  }
}

/**
 * Finishes or undoes a switch of `outdir` that a killed synth left half done, and removes the
 * folders it left beside it (every synth does this first, under its lock). Fails like a synth when
 * another synth holds the folder's lock.
 */
export function recoverOutputFolder(outdir: string): void {
  const target = targetOf(outdir);
  if (cannotRename(target)) {
    const lock = OutputLock.acquire(path.join(target, '.synth-lock'), outdir);
    try {
      removeStaleInside(target);
    } finally {
      lock.release();
    }
    return;
  }
  const lock = OutputLock.acquire(lockPathOf(target), outdir);
  try {
    recover(target);
  } finally {
    lock.release();
  }
}

const SWAP = /^synth-(staging|ready|old)-[0-9a-z-]+$/;

/** The folder to replace: `outdir` as an absolute path, or the folder a symlink `outdir` points to. */
function targetOf(outdir: string): string {
  const absolute = path.resolve(outdir);
  try {
    if (fs.lstatSync(absolute).isSymbolicLink()) return fs.realpathSync(absolute);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return absolute;
}

function lockPathOf(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.synth-lock`);
}

/** Whether `target` is a file system root, the working directory or one of its parents. */
function cannotRename(target: string): boolean {
  if (path.dirname(target) === target) return true;
  const fromTarget = path.relative(target, process.cwd());
  return fromTarget === '' || (!fromTarget.startsWith('..') && !path.isAbsolute(fromTarget));
}

/** The folders a synth of `target` leaves beside it while it runs: `.<name>.synth-<stage>-<id>`. */
function siblings(target: string): { stage: string; dir: string }[] {
  const prefix = `.${path.basename(target)}.`;
  const parent = path.dirname(target);
  let names: string[];
  try {
    names = fs.readdirSync(parent);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  return names
    .filter((n) => n.startsWith(prefix) && SWAP.test(n.slice(prefix.length)))
    .sort()
    .map((n) => ({ stage: SWAP.exec(n.slice(prefix.length))![1], dir: path.join(parent, n) }));
}

/** Completes (a ready tree exists) or undoes (only the old tree exists) a half-done switch, then cleans up. */
function recover(target: string): void {
  const left = siblings(target);
  if (left.length === 0) return;
  if (!fs.existsSync(target)) {
    const ready = left.find((s) => s.stage === 'ready');
    const old = left.find((s) => s.stage === 'old');
    const restore = ready ?? old;
    if (restore) {
      fs.renameSync(restore.dir, target);
      syncDir(path.dirname(target));
    }
  }
  for (const s of siblings(target)) fs.rmSync(s.dir, { recursive: true, force: true });
}

function uniqueId(): string {
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
}

function swap<T>(target: string, write: (dir: string) => T, options: OutputFolderOptions): T {
  const parent = path.dirname(target);
  const base = path.basename(target);
  const id = uniqueId();
  fs.mkdirSync(parent, { recursive: true });
  const staging = path.join(parent, `.${base}.synth-staging-${id}`);
  const ready = path.join(parent, `.${base}.synth-ready-${id}`);
  const old = path.join(parent, `.${base}.synth-old-${id}`);
  // mkdir (not mkdtemp, which makes it private): the folder keeps the usual permissions.
  fs.mkdirSync(staging);
  let result: T;
  try {
    result = withClearWriteErrors(target, staging, () => write(staging));
    const exists = fs.existsSync(target);
    if (exists && options.keepUnwritten !== false) carryOver(target, staging, target);
    if (exists) fs.chmodSync(staging, fs.statSync(target).mode & 0o7777);
    if (options.durable !== false) flushTree(staging);
    fs.renameSync(staging, ready);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  // From here on, every state a kill can leave is the old tree, the new one, or (between the two
  // renames) no `target` but a ready tree that `recover` renames into place.
  if (fs.existsSync(target)) fs.renameSync(target, old);
  fs.renameSync(ready, target);
  syncDir(parent);
  fs.rmSync(old, { recursive: true, force: true });
  return result;
}

/**
 * Hard-links (or copies, where links are not possible) every entry of `from` that `to` lacks, so
 * the new tree keeps the old folder's other files, as stock synth does. A file where the new tree
 * has a folder, or the reverse, fails: stock would fail writing there too.
 */
function carryOver(from: string, to: string, target: string): void {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const dest = path.join(to, entry.name);
    let existing: fs.Stats | undefined;
    try {
      existing = fs.lstatSync(dest);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (existing === undefined) {
      copyEntry(source, dest, entry);
    } else if (entry.isDirectory() !== existing.isDirectory()) {
      throw new GuardrailError(
        `synth: cannot write '${source}': it is ${entry.isDirectory() ? 'a folder' : 'a file'} in the output folder and the synth writes ${existing.isDirectory() ? 'a folder' : 'a file'} there; move or remove it. Nothing was changed in '${target}'.`,
      );
    } else if (entry.isDirectory()) {
      carryOver(source, dest, target);
    }
  }
}

function copyEntry(source: string, dest: string, entry: fs.Dirent): void {
  if (entry.isDirectory()) {
    fs.mkdirSync(dest);
    fs.chmodSync(dest, fs.statSync(source).mode & 0o7777);
    for (const child of fs.readdirSync(source, { withFileTypes: true })) copyEntry(path.join(source, child.name), path.join(dest, child.name), child);
  } else if (entry.isSymbolicLink()) {
    fs.symlinkSync(fs.readlinkSync(source), dest);
  } else {
    try {
      fs.linkSync(source, dest);
    } catch {
      fs.copyFileSync(source, dest);
    }
  }
}

/** Runs `write` into `staging`, turning file system errors into one that names the output path. */
function withClearWriteErrors<T>(target: string, staging: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code !== 'string' || typeof err.path !== 'string') throw e;
    const shown = err.path.startsWith(staging) ? path.join(target, path.relative(staging, err.path)) : err.path;
    const why: Record<string, string> = {
      EISDIR: 'a folder is where a file must be written',
      ENOTDIR: 'a file is where a folder must be created',
      EEXIST: 'a file is where a folder must be created',
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      ENOSPC: 'the disk is full',
      EROFS: 'the file system is read-only',
    };
    throw new GuardrailError(
      `synth: cannot write '${shown}': ${why[err.code] ?? err.message} (${err.code}). Nothing was changed in '${target}'.`,
    );
  }
}

/** Writes the new files into a staging folder inside `target`, then renames each into place. */
function writeInPlace<T>(target: string, write: (dir: string) => T, options: OutputFolderOptions): T {
  removeStaleInside(target);
  const staging = path.join(target, `.synth-staging-${uniqueId()}`);
  fs.mkdirSync(staging, { recursive: true });
  try {
    const result = withClearWriteErrors(target, staging, () => write(staging));
    const files = listFiles(staging);
    for (const file of files) {
      const dest = path.join(target, file);
      const existing = statOrUndefined(dest);
      if (existing?.isDirectory()) {
        throw new GuardrailError(`synth: cannot write '${dest}': a folder is where a file must be written (EISDIR); move or remove it. Nothing was changed in '${target}'.`);
      }
    }
    if (options.durable !== false) flushTree(staging);
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(target, file)), { recursive: true });
      fs.renameSync(path.join(staging, file), path.join(target, file));
    }
    syncDir(target);
    return result;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function removeStaleInside(target: string): void {
  let names: string[] = [];
  try {
    names = fs.readdirSync(target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  for (const n of names) {
    if (/^\.synth-staging-[0-9a-z-]+$/.test(n)) fs.rmSync(path.join(target, n), { recursive: true, force: true });
  }
}

function statOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/** Every file under `dir`, relative to it, in a stable order. */
function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const child = path.join(rel, entry.name);
      if (entry.isDirectory()) walk(child);
      else files.push(child);
    }
  };
  walk('');
  return files;
}

/** Trees of more files than this are flushed with one `syncfs` (`sync -f`, Linux) instead of one fsync per file. */
const FSYNC_PER_FILE_LIMIT = 64;

/**
 * Flushes every file and folder of `dir` to disk. An fsync costs several milliseconds here, so a
 * large tree is flushed with one `syncfs` of its file system where coreutils' `sync -f` exists.
 */
function flushTree(dir: string): void {
  const files: string[] = [];
  const dirs: string[] = [dir];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) {
        dirs.push(full);
        walk(full);
      } else if (entry.isFile()) {
        files.push(full);
      }
    }
  };
  walk(dir);
  if (files.length > FSYNC_PER_FILE_LIMIT && os.platform() === 'linux') {
    const synced = spawnSync('sync', ['-f', dir], { stdio: 'ignore' });
    if (synced.status === 0) return;
  }
  for (const file of files) syncFile(file);
  for (const d of dirs) syncDir(d);
}

function syncFile(file: string): void {
  const fd = fs.openSync(file, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Persists a folder's entries (a rename is durable once its folder is flushed). Not possible on every platform. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows cannot open or fsync a folder; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * An exclusive lock on one output folder: a file created atomically with the holder's pid, host
 * and start time. A lock whose process no longer runs on this host is taken over.
 */
class OutputLock {
  public static acquire(file: string, outdir: string): OutputLock {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const content = JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() }) + '\n';
    // Written whole under a private name, then linked: the lock file is never seen half written.
    const temp = `${file}.${uniqueId()}`;
    fs.writeFileSync(temp, content);
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          fs.linkSync(temp, file);
          OutputLock.removeStaleTemps(file);
          return new OutputLock(file, content);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const holder = readLock(file);
        if (attempt === 0 && holder !== undefined && holder.host === os.hostname() && !isRunning(holder.pid)) {
          // Left by a synth that was killed: take it over (unlink, then retry the atomic link).
          fs.rmSync(file, { force: true });
          continue;
        }
        const who = holder ? `pid ${holder.pid} on ${holder.host}, started ${holder.started}` : 'unknown holder';
        throw new GuardrailError(
          `synth: another synth is writing '${outdir}' (${who}; lock '${file}'). Wait for it to finish; if no synth is running, delete the lock file.`,
        );
      }
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  /**
   * Removes the private lock files (`<lock>.<pid>-<time>-<random>`) of synths killed before they
   * removed theirs: the pid in the name (the content, when whole, also names the host) no
   * longer runs on this host. Called by the holder, so no live synth of this host is between
   * writing and linking one, except one waiting to fail on the lock: its file names a live pid.
   */
  private static removeStaleTemps(file: string): void {
    const dir = path.dirname(file);
    const prefix = `${path.basename(file)}.`;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const id = name.startsWith(prefix) ? /^([0-9a-z]+)-[0-9a-z]+-[0-9a-z]+$/.exec(name.slice(prefix.length)) : null;
      if (!id) continue;
      const written = readLock(path.join(dir, name));
      const pid = written?.pid ?? parseInt(id[1], 36);
      if ((written === undefined || written.host === os.hostname()) && !isRunning(pid)) {
        fs.rmSync(path.join(dir, name), { force: true });
      }
    }
  }

  private constructor(private readonly file: string, private readonly content: string) {}

  /** Removes the lock if it is still ours. */
  public release(): void {
    try {
      if (fs.readFileSync(this.file, 'utf8') === this.content) fs.rmSync(this.file, { force: true });
    } catch {
      // Already gone.
    }
  }
}

function readLock(file: string): { pid: number; host: string; started: string } | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof parsed?.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
