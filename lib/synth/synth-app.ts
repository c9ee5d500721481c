import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, Yaml, YamlOutputType } from 'cdk8s';
import { ConstructGraph } from './construct-graph';

/** One ApiObject with the manifest that will be written for it. */
export interface SynthesizedObject {
  /** The construct that rendered the manifest (its `node.path` locates it in app code). */
  readonly apiObject: ApiObject;
  /** The resolved manifest (`apiObject.toJson()`), exactly what is serialized. Treat it as read-only. */
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
  const { charts, hasDependantCharts } = resolveApp(app);
  for (const hook of options.beforeWrite ?? []) hook(charts);

  const ext = app.outputFileExtension;
  const save = (file: string, docs: any[]) => Yaml.save(file, docs);
  const resourceFileName = (kind: string, name: string | undefined) =>
    `${kind}.${name}`.replace(/[^0-9a-zA-Z-_.]/g, '') + ext;
  const chartName = indexedNamer(hasDependantCharts);

  switch (app.yamlOutputType) {
    case YamlOutputType.FILE_PER_APP:
      if (charts.length > 0) {
        save(path.join(app.outdir, `app${ext}`), charts.flatMap(c => c.objects.map(o => o.manifest)));
      }
      break;
    case YamlOutputType.FILE_PER_CHART:
      for (const c of charts) {
        save(path.join(app.outdir, chartName(c.chart) + ext), c.objects.map(o => o.manifest));
      }
      break;
    case YamlOutputType.FILE_PER_RESOURCE:
      // Named from the rendered manifest; a later object with the same name overwrites, as in stock.
      for (const c of charts) {
        for (const o of c.objects) {
          save(path.join(app.outdir, resourceFileName(o.manifest.kind, o.manifest.metadata.name)), [o.manifest]);
        }
      }
      break;
    case YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE:
      // Named from the ApiObject's own kind and name (not the patched manifest), as in stock.
      for (const c of charts) {
        const dir = path.join(app.outdir, chartName(c.chart));
        fs.mkdirSync(dir, { recursive: true });
        for (const o of c.objects) {
          save(path.join(dir, resourceFileName(o.apiObject.kind, o.apiObject.metadata.name)), [o.manifest]);
        }
      }
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
  const { charts } = resolveApp(app);
  for (const hook of options.beforeWrite ?? []) hook(charts);
  return Yaml.stringify(...charts.flatMap(c => c.objects.map(o => o.manifest)));
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
