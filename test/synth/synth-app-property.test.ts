import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as fc from 'fast-check';
import { synthBoth } from './compare';

/**
 * A random app: charts ranked 0..K-1 that may only depend on lower ranks (a DAG), created in a
 * random order, with random ids (some array-index-like, which stock orders first), namespaces,
 * objects, chart→chart, object→object (across and within charts) and object→chart dependencies.
 */
interface AppSpec {
  readonly charts: { id: string; namespace?: string; objects: number; creationKey: number }[];
  readonly chartDeps: [number, number][];
  readonly objectDeps: [number, number, number, number][];
  readonly objectToChartDeps: [number, number, number][];
  readonly outputType: YamlOutputType;
}

const appSpec: fc.Arbitrary<AppSpec> = fc.integer({ min: 1, max: 9 }).chain(k => fc.record({
  charts: fc.uniqueArray(fc.oneof(fc.constantFrom('0', '1', '2', '10', '42'), fc.stringMatching(/^[a-z][a-z0-9-]{0,6}$/)), { minLength: k, maxLength: k })
    .chain(ids => fc.tuple(...ids.map(id => fc.record({
      id: fc.constant(id),
      namespace: fc.option(fc.constantFrom('ns-a', 'ns-b'), { nil: undefined }),
      objects: fc.integer({ min: 0, max: 3 }),
      creationKey: fc.integer(),
    })))),
  chartDeps: fc.array(fc.tuple(fc.nat(k - 1), fc.nat(k - 1)), { maxLength: 2 * k }),
  objectDeps: fc.array(fc.tuple(fc.nat(k - 1), fc.nat(2), fc.nat(k - 1), fc.nat(2)), { maxLength: 2 * k }),
  objectToChartDeps: fc.array(fc.tuple(fc.nat(k - 1), fc.nat(2), fc.nat(k - 1)), { maxLength: k }),
  outputType: fc.constantFrom(
    YamlOutputType.FILE_PER_APP, YamlOutputType.FILE_PER_CHART,
    YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE),
}));

function build(spec: AppSpec): (app: App) => void {
  return app => {
    const charts: Chart[] = new Array(spec.charts.length);
    const objects: ApiObject[][] = new Array(spec.charts.length);
    const creation = spec.charts.map((_, rank) => rank).sort((a, b) => spec.charts[a].creationKey - spec.charts[b].creationKey || a - b);
    for (const rank of creation) {
      const c = spec.charts[rank];
      charts[rank] = new Chart(app, c.id, { namespace: c.namespace });
      objects[rank] = [];
      for (let o = 0; o < c.objects; o++) {
        objects[rank].push(new ApiObject(charts[rank], `obj${o}`, { apiVersion: 'v1', kind: o % 2 ? 'Service' : 'ConfigMap', data: { o } }));
      }
    }
    // Only edges from a higher rank to a lower one (or, within a chart, to an earlier object).
    for (const [a, b] of spec.chartDeps) if (a > b) charts[a].addDependency(charts[b]);
    for (const [ca, oa, cb, ob] of spec.objectDeps) {
      const source = objects[ca][oa];
      const target = objects[cb][ob];
      if (source && target && (ca > cb || (ca === cb && oa > ob))) source.addDependency(target);
    }
    for (const [ca, oa, cb] of spec.objectToChartDeps) {
      const source = objects[ca][oa];
      if (source && ca > cb) source.addDependency(charts[cb]);
    }
  };
}

test('synthApp output equals stock App.synth() on random dependency DAGs of charts and objects', () => {
  fc.assert(fc.property(appSpec, spec => {
    const { stock, ours } = synthBoth({ yamlOutputType: spec.outputType, recordConstructMetadata: true }, build(spec));
    expect(ours).toEqual(stock);
  }), { numRuns: 150 });
});

test('synthApp output on a worker thread equals stock App.synth() on random apps', () => {
  fc.assert(fc.property(appSpec, spec => {
    const { stock, ours } = synthBoth({ yamlOutputType: spec.outputType }, build(spec), { renderThreads: 1 });
    expect(ours).toEqual(stock);
  }), { numRuns: 15 });
});
