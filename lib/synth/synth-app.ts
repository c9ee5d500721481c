import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { ConstructGraph } from './construct-graph';
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
}

/**
 * Validates, resolves and orders every chart of `app` once, and returns the manifests without
 * writing anything. Linear in the number of constructs and dependency edges.
 *
 * Order of work, as in stock `App.synth()`: validate every construct, infer chart and object
 * dependencies, order charts (dependencies first; a cycle throws a `GuardrailError` with its path),
 * then render each chart's objects in dependency order (each `toJson()` runs exactly once, in
 * stock order, so stateful `Lazy` producers see the same sequence).
 */
export function resolveApp(app: App): { charts: SynthesizedChart[]; hasDependantCharts: boolean } {
  const graph = new ConstructGraph(app);
  graph.validate();
  const hasDependantCharts = graph.inferDependencies();
  const charts = graph.charts().map(chart => ({
    chart,
    objects: graph.apiObjectsOf(chart).map(apiObject => ({ apiObject, manifest: apiObject.toJson() })),
  }));
  return { charts, hasDependantCharts };
}

/**
 * Synthesizes `app` into `app.outdir` like stock `App.synth()` (byte-identical files, names and
 * order for every `YamlOutputType`, and `construct-metadata.json` when `recordConstructMetadata`),
 * in time linear in the number of charts, objects and dependency edges instead of quadratic
 * (stock re-resolves and re-validates the whole app for every chart) or exponential (stock's
 * dependency graph walks every path when charts fan in).
 *
 * Differences from stock, all on failure paths: nothing is written when rendering or a
 * `beforeWrite` hook fails (stock has written the charts before the failing one); a dependency
 * cycle throws a `GuardrailError` with the whole cycle; validation runs once, before dependencies
 * are inferred (stock also re-runs it, per chart, after inference).
 *
 * @returns the charts and manifests that were written
 */
export function synthApp(app: App, options: SynthAppOptions = {}): SynthesizedChart[] {
  fs.mkdirSync(app.outdir, { recursive: true });
  const { charts, hasDependantCharts, texts } = render(app, options);

  const ext = app.outputFileExtension;
  // What cdk8s's `Yaml.save` writes: the documents joined with `---\n`, as UTF-8.
  const write = (file: string, docs: string[]) => fs.writeFileSync(file, docs.join('---\n'), { encoding: 'utf8' });
  const resourceFileName = (kind: string, name: string | undefined) =>
    `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;
  const chartName = indexedNamer(hasDependantCharts);

  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      if (charts.length > 0) write(path.join(app.outdir, `app${ext}`), texts.flat());
      break;
    case YamlOutputType.FILE_PER_CHART:
      charts.forEach((c, i) => write(path.join(app.outdir, chartName(c.chart) + ext), texts[i]));
      break;
    case YamlOutputType.FILE_PER_RESOURCE:
      // Named from the rendered manifest; a later object with the same name overwrites, as in stock.
      charts.forEach((c, i) => c.objects.forEach((o, j) => {
        write(path.join(app.outdir, resourceFileName(o.manifest.kind, o.manifest.metadata.name)), [texts[i][j]]);
      }));
      break;
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      // Named from the ApiObject's own kind and name (not the patched manifest), as in stock.
      charts.forEach((c, i) => {
        const dir = path.join(app.outdir, chartName(c.chart));
        fs.mkdirSync(dir, { recursive: true });
        c.objects.forEach((o, j) => {
          write(path.join(dir, resourceFileName(o.apiObject.kind, o.apiObject.metadata.name)), [texts[i][j]]);
        });
      });
      break;
    default:
      break;
  }

  // `recordConstructMetadata` is private in cdk8s's typings (set from props or
  // CDK8S_RECORD_CONSTRUCT_METADATA); we read the same field stock `synth()` reads.
  if ((app as unknown as { recordConstructMetadata: boolean }).recordConstructMetadata) {
    const resources: Record<string, { path: string }> = {};
    for (const c of charts) {
      for (const o of c.objects) resources[o.apiObject.name] = { path: o.apiObject.node.path };
    }
    fs.writeFileSync(path.join(app.outdir, 'construct-metadata.json'), JSON.stringify({ version: '1.0.0', resources }));
  }
  return charts;
}

/**
 * Synthesizes `app` into one YAML string, byte-identical to stock `App.synthYaml()`, in linear time.
 */
export function synthAppYaml(app: App, options: SynthAppOptions = {}): string {
  return render(app, options).texts.flat().join('---\n');
}

/**
 * `resolveApp`, handing each chart's manifests to the YAML renderer as soon as they are resolved,
 * then the hooks, then the rendered documents (`texts[chart][object]`).
 */
function render(app: App, options: SynthAppOptions): { charts: SynthesizedChart[]; hasDependantCharts: boolean; texts: string[][] } {
  const graph = new ConstructGraph(app);
  graph.validate();
  const hasDependantCharts = graph.inferDependencies();
  const threads = options.renderThreads ?? defaultRenderThreads(graph.countApiObjects());
  const renderer: DocumentRenderer = threads > 0 ? new WorkerRenderer(threads) : new InlineRenderer();
  try {
    const charts = graph.charts().map(chart => {
      const objects = graph.apiObjectsOf(chart).map(apiObject => ({ apiObject, manifest: apiObject.toJson() }));
      renderer.submit(objects.map(o => o.manifest));
      return { chart, objects };
    });
    for (const hook of options.beforeWrite ?? []) hook(charts);
    return { charts, hasDependantCharts, texts: renderer.collect() };
  } catch (e) {
    renderer.close();
    throw e;
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
