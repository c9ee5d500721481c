import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { ConstructGraph } from './construct-graph';
import { ManifestCheckSession } from './manifest-checks';
import { writeOutputFolder } from './output-folder';
import { defaultRenderThreads, DocumentRenderer, InlineRenderer, WorkerRenderer } from './yaml-workers';

/** One ApiObject with the manifest that will be written for it. */
export interface SynthesizedObject {
  /** The construct that rendered the manifest (its `node.path` locates it in app code). */
  readonly apiObject: ApiObject;
  /**
   * The resolved manifest (`apiObject.toJson()`), exactly what is serialized. Read-only: it may
   * already be rendering on a worker thread, so changes would not be written.
   */
  readonly manifest: Record<string, any>;
}

/** One chart with its objects, in output order. */
export interface SynthesizedChart {
  /** The chart. */
  readonly chart: Chart;
  /** Its objects (those whose closest chart it is), dependencies first. */
  readonly objects: readonly SynthesizedObject[];
}

/**
 * Runs after every object is resolved and before any file is written; throw (e.g. a
 * `GuardrailError` naming the construct paths) to fail the synth with nothing written.
 */
export type BeforeWriteHook = (charts: readonly SynthesizedChart[]) => void;

/** Options of {@link synthApp} and {@link synthAppYaml}. */
export interface SynthAppOptions {
  /**
   * Hooks run in order after resolution and before anything is written, e.g. the policy pack.
   * @default - none
   */
  readonly beforeWrite?: readonly BeforeWriteHook[];

  /**
   * Worker threads that render YAML while the main thread resolves the next charts. The output
   * is byte-identical either way; `0` renders on the calling thread.
   * @default - 0 below 500 objects, else one less than the available cores (at most 4)
   */
  readonly renderThreads?: number;

  /**
   * Flush the new files to disk before they replace the old ones (see `writeOutputFolder`); a
   * killed synth leaves the old or the new tree either way, this guards against a power loss.
   * @default true
   */
  readonly durable?: boolean;
}

/**
 * Validates, resolves and orders every chart of `app` once, and returns the manifests without
 * writing anything. Linear in the number of constructs and dependency edges.
 *
 * Order of work, as in stock `App.synth()`: validate every construct, infer chart and object
 * dependencies, order charts (dependencies first; a cycle throws a `GuardrailError` with its path),
 * then render each chart's objects in dependency order (each `toJson()` runs exactly once, in
 * stock order, so stateful `Lazy` producers see the same sequence), then the checks that need the
 * whole app's manifests (e.g. `RestrictedNamespace`'s quota), once, on those manifests.
 */
export function resolveApp(app: App): { charts: SynthesizedChart[]; hasDependantCharts: boolean } {
  const { charts, hasDependantCharts } = render(app, { renderThreads: 0 }, undefined, false);
  return { charts, hasDependantCharts };
}

/**
 * Synthesizes `app` into `app.outdir` like stock `App.synth()` (byte-identical files, names and
 * order for every `YamlOutputType`, and `construct-metadata.json` when `recordConstructMetadata`),
 * in time linear in the number of charts, objects and dependency edges instead of quadratic
 * (stock re-resolves and re-validates the whole app for every chart) or exponential (stock's
 * dependency graph walks every path when charts fan in).
 *
 * The folder switches atomically (`writeOutputFolder`): the complete new tree, with the old
 * folder's other files kept as stock keeps them, is written beside `outdir` and renamed into its
 * place, under a lock that makes a second synth into the same folder fail. When `outdir` is the
 * working directory (or contains it), files are switched one by one instead.
 *
 * Differences from stock, all on failure paths: nothing is changed when rendering, a
 * `beforeWrite` hook or a write fails, or the process is killed (stock has written the charts
 * before the failing one); a dependency cycle throws a `GuardrailError` with the whole cycle;
 * validation runs once, before dependencies are inferred (stock also re-runs it, per chart, after
 * inference).
 *
 * @returns the charts and manifests that were written
 */
export function synthApp(app: App, options: SynthAppOptions = {}): SynthesizedChart[] {
  return writeOutputFolder(app.outdir, dir => synthAppInto(app, dir, options), { durable: options.durable }).result;
}

/**
 * Writes what {@link synthApp} writes into the folder `dir` instead of `app.outdir`, directly:
 * without `synthApp`'s lock and atomic switch. For tools that assemble several apps into one tree
 * and switch it as a whole with `writeOutputFolder` (as `npm run synth` does with `dist/`).
 *
 * @returns the charts and manifests that were written
 */
export function synthAppInto(app: App, dir: string, options: SynthAppOptions = {}): SynthesizedChart[] {
  fs.mkdirSync(dir, { recursive: true });
  const ext = app.outputFileExtension;
  const type = app.yamlOutputType;
  let plan: OutputPlan | undefined;
  let staging: StagingFolder | undefined;
  try {
    const { charts, texts } = render(app, options, (resolved, hasDependantCharts, parallel) => {
      plan = new OutputPlan(dir, ext, type, resolved, hasDependantCharts);
      // With worker threads the main thread would only wait for the last charts to render; it
      // writes the charts already rendered meanwhile, into a staging folder that is renamed into
      // place once everything has rendered, so a failure still leaves nothing written.
      if (!parallel || type === YamlOutputType.FILE_PER_APP) return undefined;
      const folder = (staging = new StagingFolder(dir));
      const names = plan;
      return (chart, docs) => folder.stage(chart, names.files(chart, docs));
    });

    if (type === YamlOutputType.FILE_PER_APP) {
      if (charts.length > 0) writeYaml(path.join(dir, `app${ext}`), texts.flat());
    } else if (plan) {
      for (const folder of plan.folders()) fs.mkdirSync(folder, { recursive: true });
      if (staging) staging.commit();
      else texts.forEach((docs, chart) => plan!.files(chart, docs).forEach(f => writeYaml(f.file, f.docs)));
    }

    // `recordConstructMetadata` is private in cdk8s's typings (set from props or
    // CDK8S_RECORD_CONSTRUCT_METADATA); we read the same field stock `synth()` reads.
    if ((app as unknown as { recordConstructMetadata: boolean }).recordConstructMetadata) {
      const resources: Record<string, { path: string }> = {};
      for (const c of charts) {
        for (const o of c.objects) resources[o.apiObject.name] = { path: o.apiObject.node.path };
      }
      // Stock cdk8s keys construct paths by object name only, so objects sharing a name (the
      // Deployment, Service and PodDisruptionBudget of one SecureDeployment) all point at the last
      // one. Exact keys (`<kind> <namespace>/<name>`) beside them let the validation plugin name
      // the right construct; cdk8s-cli ignores keys it does not look up.
      for (const c of charts) {
        for (const o of c.objects) resources[objectMetadataKey(o.manifest)] = { path: o.apiObject.node.path };
      }
      fs.writeFileSync(path.join(dir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
    }
    return charts;
  } finally {
    staging?.remove();
  }
}

/**
 * Synthesizes `app` into one YAML string, byte-identical to stock `App.synthYaml()`, in linear time.
 */
export function synthAppYaml(app: App, options: SynthAppOptions = {}): string {
  return render(app, options).texts.flat().join('---\n');
}

/** Receives one chart's rendered documents (by chart index) as soon as they are rendered. */
type RenderedChartSink = (chart: number, docs: readonly string[]) => void;

/**
 * `resolveApp`, handing each chart's manifests to the YAML renderer as soon as they are resolved,
 * then the hooks, then the rendered documents (`texts[chart][object]`). `beforeCollect` runs after
 * the hooks and may return a sink that sees each chart's documents as they arrive (`parallel`:
 * whether they render on worker threads). Without `renderYaml`, nothing is rendered (`texts` is
 * empty) and no hook runs unless given in `options`.
 */
function render(
  app: App,
  options: SynthAppOptions,
  beforeCollect?: (charts: SynthesizedChart[], hasDependantCharts: boolean, parallel: boolean) => RenderedChartSink | undefined,
  renderYaml = true,
): { charts: SynthesizedChart[]; hasDependantCharts: boolean; texts: string[][] } {
  const graph = new ConstructGraph(app);
  // Checks over the whole app's manifests (a namespace's quota) wait for the manifests resolved
  // below instead of each resolving every object of the app during validation.
  const checks = new ManifestCheckSession(app);
  let renderer: DocumentRenderer | undefined;
  try {
    graph.validate();
    checks.end();
    const hasDependantCharts = graph.inferDependencies();
    const threads = renderYaml ? options.renderThreads ?? defaultRenderThreads(graph.countApiObjects()) : 0;
    const yaml: DocumentRenderer | undefined = renderYaml ? (threads > 0 ? new WorkerRenderer(threads) : new InlineRenderer()) : undefined;
    renderer = yaml;
    const charts = graph.charts().map(chart => {
      const objects = graph.apiObjectsOf(chart).map(apiObject => ({ apiObject, manifest: apiObject.toJson() }));
      yaml?.submit(objects.map(o => o.manifest));
      return { chart, objects };
    });
    checks.run(charts.flatMap(c => c.objects.map(o => o.manifest)));
    for (const hook of options.beforeWrite ?? []) hook(charts);
    const sink = beforeCollect?.(charts, hasDependantCharts, threads > 0);
    renderer = undefined; // `collect` releases the workers itself
    return { charts, hasDependantCharts, texts: yaml ? yaml.collect(sink) : [] };
  } catch (e) {
    renderer?.close();
    throw e;
  } finally {
    checks.end();
  }
}

/** What cdk8s's `Yaml.save` writes: the documents joined with `---\n`, as UTF-8. */
function writeYaml(file: string, docs: readonly string[]): void {
  fs.writeFileSync(file, docs.join('---\n'), { encoding: 'utf8' });
}

/** One output file: its path and its documents. */
interface OutputFile {
  readonly file: string;
  readonly docs: readonly string[];
}

/** Stock `App.synth()`'s file and folder names for each chart, per `YamlOutputType` (not `FILE_PER_APP`). */
class OutputPlan {
  private readonly chartNames: string[];

  constructor(
    private readonly outdir: string,
    private readonly ext: string,
    private readonly type: YamlOutputType,
    private readonly charts: readonly SynthesizedChart[],
    hasDependantCharts: boolean,
  ) {
    const chartName = indexedNamer(hasDependantCharts);
    this.chartNames = charts.map(c => chartName(c.chart));
  }

  /** The folders stock creates, in its order (one per chart for `FOLDER_PER_CHART_FILE_PER_RESOURCE`). */
  public folders(): string[] {
    return this.type === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE ? this.chartNames.map(n => path.join(this.outdir, n)) : [];
  }

  /** The files of chart `i` in write order; a later file with the same path overwrites, as in stock. */
  public files(i: number, docs: readonly string[]): OutputFile[] {
    const objects = this.charts[i].objects;
    switch (this.type) {
      case YamlOutputType.FILE_PER_CHART:
        return [{ file: path.join(this.outdir, this.chartNames[i] + this.ext), docs }];
      case YamlOutputType.FILE_PER_RESOURCE:
        // Named from the rendered manifest.
        return objects.map((o, j) => ({
          file: path.join(this.outdir, this.resourceFileName(o.manifest.kind, o.manifest.metadata.name)), docs: [docs[j]],
        }));
      case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
        // Named from the ApiObject's own kind and name (not the patched manifest).
        return objects.map((o, j) => ({
          file: path.join(this.outdir, this.chartNames[i], this.resourceFileName(o.apiObject.kind, o.apiObject.metadata.name)),
          docs: [docs[j]],
        }));
      default:
        return [];
    }
  }

  private resourceFileName(kind: string, name: string | undefined): string {
    return `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + this.ext;
  }
}

/**
 * A hidden folder inside the output tree (so renames stay on one file system) that holds rendered
 * files until every chart has rendered; `commit` renames them into place in stock's write order.
 */
class StagingFolder {
  private readonly dir: string;
  private readonly staged: { chart: number; index: number; staged: string; file: string }[] = [];

  constructor(outdir: string) {
    this.dir = fs.mkdtempSync(path.join(outdir, '.synth-render-'));
  }

  /** Writes the files of chart number `chart` (in their write order) under temporary names. */
  public stage(chart: number, files: readonly OutputFile[]): void {
    files.forEach((f, index) => {
      const staged = path.join(this.dir, `${chart}.${index}`);
      writeYaml(staged, f.docs);
      this.staged.push({ chart, index, staged, file: f.file });
    });
  }

  /** Renames every staged file into place, in stock's write order. */
  public commit(): void {
    // Charts may arrive out of order from several workers: rename in chart order, then file order.
    this.staged.sort((a, b) => a.chart - b.chart || a.index - b.index);
    for (const s of this.staged) fs.renameSync(s.staged, s.file);
  }

  /** Removes the staging folder and whatever is left in it. */
  public remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every chart of `app`, dependencies first: stock `app.charts`, in linear time. */
export function orderCharts(app: App): Chart[] {
  return new ConstructGraph(app).charts();
}

/** Stock chart file/folder names: the chart's DNS label, prefixed `0000-`, `0001-`… when charts depend on charts. */
function indexedNamer(indexed: boolean): (chart: Chart) => string {
  let index = 0;
  return chart => {
    const name = Names.toDnsLabel(chart);
    if (!indexed) return name;
    return `${(index++).toString().padStart(4, '0')}-${name}`;
  };
}

/**
 * The exact key of an object in `construct-metadata.json` written by {@link synthApp}:
 * `Deployment production/api`, or `ClusterRole reader` for a cluster-scoped object.
 * @internal
 */
export function objectMetadataKey(manifest: Readonly<Record<string, any>>): string {
  const ns = manifest.metadata?.namespace;
  return `${manifest.kind} ${ns ? `${ns}/` : ''}${manifest.metadata?.name}`;
}
