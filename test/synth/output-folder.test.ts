import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { readTree, tmpDir } from './compare';
import { createBundledApps } from '../../apps/bundled-app';
import { synthFolders } from '../../apps/parts/synth';
import { recoverOutputFolder, synthApp, writeOutputFolder } from '../../lib/synth';

function app(outdir: string, gen: string, charts = 3, yamlOutputType = YamlOutputType.FILE_PER_CHART): App {
  const result = new App({ outdir, yamlOutputType });
  for (let i = 0; i < charts; i++) {
    const chart = new Chart(result, `chart-${i}`);
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` }, data: { gen } });
  }
  return result;
}

/** A folder `out` in a fresh parent, with the tree of generation 'old' synthesized into it. */
function oldTree(): { dir: string; tree: Record<string, string> } {
  const dir = path.join(tmpDir(), 'out');
  synthApp(app(dir, 'old'));
  return { dir, tree: readTree(dir) };
}

const beside = (dir: string) => fs.readdirSync(path.dirname(dir)).filter(n => n !== path.basename(dir));

describe('synthApp switches the output folder atomically', () => {
  test('the new tree replaces the old one; the old folder\'s other files are kept (as stock keeps them); nothing is left beside it', () => {
    const { dir } = oldTree();
    fs.mkdirSync(path.join(dir, 'notes'));
    fs.writeFileSync(path.join(dir, 'notes', 'README'), 'mine\n');
    fs.writeFileSync(path.join(dir, 'chart-2.k8s.yaml'), 'stale\n');
    synthApp(app(dir, 'new', 2));
    const tree = readTree(dir);
    expect(Object.keys(tree).sort()).toEqual(['chart-0.k8s.yaml', 'chart-1.k8s.yaml', 'chart-2.k8s.yaml', 'notes/README']);
    expect(tree['chart-0.k8s.yaml']).toContain('gen: new');
    expect(tree['chart-2.k8s.yaml']).toBe('stale\n');
    expect(tree['notes/README']).toBe('mine\n');
    expect(beside(dir)).toEqual([]);
  });

  test('a folder where a file must be written fails clearly, naming the path, and changes nothing (no raw EISDIR)', () => {
    const { dir, tree } = oldTree();
    fs.rmSync(path.join(dir, 'chart-1.k8s.yaml'));
    fs.mkdirSync(path.join(dir, 'chart-1.k8s.yaml', 'inside'), { recursive: true });
    fs.rmSync(path.join(dir, 'chart-0.k8s.yaml'));
    const before = readTree(dir);
    expect(() => synthApp(app(dir, 'new'))).toThrow(
      `synth: cannot write '${path.join(dir, 'chart-1.k8s.yaml')}': it is a folder in the output folder and the synth writes a file there; move or remove it. Nothing was changed in '${dir}'.`,
    );
    expect(readTree(dir)).toEqual(before);
    expect(before).not.toEqual(tree);
    expect(beside(dir)).toEqual([]);
  });

  test('a write that fails inside the new tree names the output path and the cause, and changes nothing', () => {
    const { dir, tree } = oldTree();
    // A hook that writes nothing but makes the synth's own write fail: a folder at a file's path.
    expect(() => writeOutputFolder(dir, staging => {
      fs.mkdirSync(path.join(staging, 'x.yaml'));
      fs.writeFileSync(path.join(staging, 'x.yaml'), 'x');
    })).toThrow(`synth: cannot write '${path.join(dir, 'x.yaml')}': a folder is where a file must be written (EISDIR). Nothing was changed in '${dir}'.`);
    expect(readTree(dir)).toEqual(tree);
    expect(beside(dir)).toEqual([]);
  });

  test('an outdir that is a file fails clearly', () => {
    const file = path.join(tmpDir(), 'out');
    fs.writeFileSync(file, 'x');
    expect(() => synthApp(app(file, 'new'))).toThrow(`synth: the output folder '${file}' is a file; move or remove it, or choose another outdir.`);
    expect(fs.readFileSync(file, 'utf8')).toBe('x');
  });

  test('a failing hook leaves the old tree and nothing beside it', () => {
    const { dir, tree } = oldTree();
    expect(() => synthApp(app(dir, 'new'), { beforeWrite: [() => { throw new Error('refused'); }] })).toThrow('refused');
    expect(readTree(dir)).toEqual(tree);
    expect(beside(dir)).toEqual([]);
  });

  test('a second synth into a folder another running synth holds fails clearly', () => {
    const { dir, tree } = oldTree();
    const lock = path.join(path.dirname(dir), '.out.synth-lock');
    // This process is alive: its lock is respected.
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    expect(() => synthApp(app(dir, 'new'))).toThrow(
      `synth: another synth is writing '${dir}' (pid ${process.pid} on ${os.hostname()}, started 2026-01-01T00:00:00.000Z; lock '${lock}'). Wait for it to finish; if no synth is running, delete the lock file.`,
    );
    expect(readTree(dir)).toEqual(tree);
    fs.rmSync(lock);
  });

  test('two synths started together into one folder: one writes, the other fails on the lock or runs after it', () => {
    const { dir } = oldTree();
    const child = `
      const { App, Chart, ApiObject } = require('cdk8s');
      const { synthApp } = require(${JSON.stringify(path.resolve(__dirname, '../../build/test-fixtures/output-folder-lib.cjs'))});
      const app = new App({ outdir: ${JSON.stringify(dir)} });
      for (let i = 0; i < 300; i++) new ApiObject(new Chart(app, 'c' + i), 'o', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' + i } });
      try { synthApp(app); console.log('wrote'); } catch (e) { console.log(e.message); }
    `;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('../../scripts/bundle.cjs').bundle({ entryPoints: [path.resolve(__dirname, '../../lib/synth/index.ts')], outfile: path.resolve(__dirname, '../../build/test-fixtures/output-folder-lib.cjs') });
    const run = () => spawnSync('bash', ['-c', 'node -e "$CHILD" & node -e "$CHILD"; wait'], { env: { ...process.env, CHILD: child }, encoding: 'utf8', cwd: path.resolve(__dirname, '../..') });
    const lines = run().stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^(wrote|synth: another synth is writing .* \(pid \d+ on .*; lock '.*\.out\.synth-lock'\)\. Wait for it to finish; if no synth is running, delete the lock file\.)$/);
    expect(lines).toContain('wrote');
    expect(Object.keys(readTree(dir))).toHaveLength(300 + 3); // and the old tree's three charts
    expect(beside(dir)).toEqual([]);
  });

  test('a lock left by a killed synth (its process is gone) is taken over, and its leftover folders removed', () => {
    const { dir } = oldTree();
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const parent = path.dirname(dir);
    fs.writeFileSync(path.join(parent, '.out.synth-lock'), JSON.stringify({ pid: Number(gone.stdout), host: os.hostname(), started: 'then' }));
    fs.mkdirSync(path.join(parent, '.out.synth-staging-abc'));
    fs.writeFileSync(path.join(parent, '.out.synth-staging-abc', 'half.yaml'), 'half');
    synthApp(app(dir, 'new'));
    expect(readTree(dir)['chart-0.k8s.yaml']).toContain('gen: new');
    expect(beside(dir)).toEqual([]);
  });

  test('the private lock files of synths killed before linking theirs are removed; a live synth\'s is kept', () => {
    const { dir } = oldTree();
    const parent = path.dirname(dir);
    const gone = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    const name = (pid: number) => `.out.synth-lock.${pid.toString(36)}-mx3jmtis-s314k3`;
    // Killed after writing its private lock file whole, and killed right after creating it (empty).
    fs.writeFileSync(path.join(parent, name(gone)), JSON.stringify({ pid: gone, host: os.hostname(), started: 'then' }));
    fs.writeFileSync(path.join(parent, name(gone).replace('s314k3', 'empty1')), '');
    // A live synth waiting to fail on the lock: kept.
    fs.writeFileSync(path.join(parent, name(process.pid)), JSON.stringify({ pid: process.pid, host: os.hostname(), started: 'now' }));
    synthApp(app(dir, 'new'));
    expect(beside(dir)).toEqual([name(process.pid)]);
    fs.rmSync(path.join(parent, name(process.pid)));
  });

  test('recovery finishes a switch killed between its two renames, or undoes it when the new tree was not complete', () => {
    const { dir, tree } = oldTree();
    const parent = path.dirname(dir);
    // Killed after renaming the old tree away, before renaming the ready one into place.
    fs.renameSync(dir, path.join(parent, '.out.synth-old-1'));
    fs.mkdirSync(path.join(parent, '.out.synth-ready-1'));
    fs.writeFileSync(path.join(parent, '.out.synth-ready-1', 'new.yaml'), 'new');
    recoverOutputFolder(dir);
    expect(readTree(dir)).toEqual({ 'new.yaml': 'new' });
    expect(beside(dir)).toEqual([]);
    // Only the old tree beside it (no ready one): it goes back.
    fs.renameSync(dir, path.join(parent, '.out.synth-old-2'));
    fs.mkdirSync(path.join(parent, '.out.synth-staging-2'));
    recoverOutputFolder(dir);
    expect(readTree(dir)).toEqual({ 'new.yaml': 'new' });
    expect(beside(dir)).toEqual([]);
    expect(tree).not.toEqual({});
  });

  test('the folder keeps its permissions (the new tree is not private like a mkdtemp folder)', () => {
    const { dir } = oldTree();
    fs.chmodSync(dir, 0o750);
    synthApp(app(dir, 'new'));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o750);
    const fresh = path.join(tmpDir(), 'fresh');
    synthApp(app(fresh, 'new'));
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o777 & ~process.umask());
  });

  test('an outdir symlink keeps pointing at the folder, whose content is switched', () => {
    const { dir } = oldTree();
    const link = path.join(tmpDir(), 'link');
    fs.symlinkSync(dir, link);
    synthApp(app(link, 'new'));
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readTree(dir)['chart-0.k8s.yaml']).toContain('gen: new');
  });

  test('the working directory as outdir is written file by file (it cannot be renamed), keeping its other files', () => {
    const dir = tmpDir();
    fs.writeFileSync(path.join(dir, 'package.json'), '{}');
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      synthApp(app('.', 'new'));
      synthApp(app('.', 'newer', 2, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE));
    } finally {
      process.chdir(cwd);
    }
    const tree = readTree(dir);
    expect(Object.keys(tree).sort()).toEqual([
      'chart-0.k8s.yaml', 'chart-0/ConfigMap.config-0.k8s.yaml', 'chart-1.k8s.yaml', 'chart-1/ConfigMap.config-1.k8s.yaml', 'chart-2.k8s.yaml', 'package.json',
    ]);
    expect(tree['chart-0/ConfigMap.config-0.k8s.yaml']).toContain('gen: newer');
  });
});

describe('npm run synth (synthFolders) replaces the whole output root', () => {
  test('a failing app leaves the old dist/ exactly as it was', () => {
    const outRoot = path.join(tmpDir(), 'dist');
    synthFolders(outRoot, createBundledApps(outRoot, { env: {} }));
    const before = readTree(outRoot);
    expect(Object.keys(before)).toContain('aws/production/kustomization.yaml');
    const apps = createBundledApps(outRoot, { env: {} });
    const { app: production } = apps.find(a => a.folder === 'alibaba/production')!;
    new kplus.Deployment(production.node.findChild('shop'), 'legacy', { containers: [{ image: 'nginx' }] });
    expect(() => synthFolders(outRoot, apps)).toThrow(/\[shop\/legacy\/Resource\] Deployment production\/shop-legacy violates K8sDisallowedTags/);
    expect(readTree(outRoot)).toEqual(before);
    expect(beside(outRoot)).toEqual([]);
  });

  test('files of a removed stack do not linger, and the working directory is refused as the root', () => {
    const outRoot = path.join(tmpDir(), 'dist');
    fs.mkdirSync(path.join(outRoot, 'gcp', 'staging'), { recursive: true });
    fs.writeFileSync(path.join(outRoot, 'gcp', 'staging', 'shop.k8s.yaml'), 'old stack\n');
    synthFolders(outRoot, createBundledApps(outRoot, { env: {} }).slice(0, 1));
    expect(Object.keys(readTree(outRoot))).toEqual(['aws/cluster/cluster-baseline.k8s.yaml', 'aws/cluster/kustomization.yaml']);
    expect(() => synthFolders('.', [])).toThrow("synth: cannot replace '.' as a whole: it is the working directory, one of its parents or a file system root; synthesize into a sub-folder.");
  });
});
