import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Include, JsonPatch, Lazy, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { GuardrailError } from '../../lib/common/errors';
import { GuardrailsApp, synthApp, synthAppYaml } from '../../lib/synth';
import { orderCharts } from '../../lib/synth/synth-app';
import { synthBoth, tmpDir } from './compare';

const ALL_OUTPUT_TYPES = [
  YamlOutputType.FILE_PER_APP,
  YamlOutputType.FILE_PER_CHART,
  YamlOutputType.FILE_PER_RESOURCE,
  YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
];

function configMap(scope: Construct, id: string, data: Record<string, unknown> = { key: 'value' }): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', data });
}

/** A small web service: kplus Deployment exposed by a Service, plus a ConfigMap. */
class Service extends Construct {
  public readonly deployment: kplus.Deployment;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deployment = new kplus.Deployment(this, 'deploy', {
      containers: [{ image: `registry.example.com/${id}:1.0.0`, portNumber: 8080 }],
    });
    this.deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
    configMap(this, 'config');
  }
}

const manifestFile = path.join(tmpDir(), 'included.yaml');
fs.writeFileSync(manifestFile, [
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: included\n',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: included-config\n  namespace: included\ndata:\n  a: "1"\n',
].join('---\n'));

/** An app exercising every feature that shapes stock output: keep it deterministic. */
function richApp(app: App, include = true): void {
  const platform = new Chart(app, 'platform', { namespace: 'platform', labels: { tier: 'platform' } });
  // Include loads the file through a child process: keep it to the tests that need it.
  if (include) new Include(platform, 'included', { url: manifestFile });
  const shared = configMap(platform, 'shared');

  const charts: Chart[] = [];
  for (let i = 0; i < 6; i++) {
    const chart = new Chart(app, `team-${i}`, { namespace: i % 2 === 0 ? `team-${i}` : undefined });
    const svc = new Service(chart, `svc${i}`);
    const cm = configMap(chart, 'lazy', {
      // Lazy values resolve at toJson() time, after every construct exists.
      count: Lazy.any({ produce: () => chart.node.children.length }),
    });
    cm.addDependency(svc);
    if (i > 0) chart.addDependency(charts[i - 1]);
    if (i > 1) ApiObject.of(svc.deployment).addDependency(charts[i - 2].node.findChild(`svc${i - 2}`));
    if (i === 3) cm.addDependency(shared);
    charts.push(chart);
  }
  // A chart nested in another, and a chart whose id is array-index-like (sorted first by stock).
  const parent = new Chart(app, 'parent');
  const child = new Chart(parent, 'child', { namespace: 'child' });
  configMap(child, 'in-child');
  configMap(parent, 'in-parent');
  const numeric = new Chart(app, '7');
  configMap(numeric, 'numbered').addJsonPatch(JsonPatch.add('/metadata/annotations', { patched: 'yes' }));
  // Two objects whose FILE_PER_RESOURCE names collide: the later one wins, as in stock.
  new ApiObject(charts[0], 'dup-a', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dup' } });
  new ApiObject(charts[5], 'dup-b', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dup' }, stringData: { b: '2' } });
}

/** Independent charts only: stock names chart files without the `0000-` index. */
function flatApp(app: App): void {
  for (let i = 0; i < 4; i++) {
    const chart = new Chart(app, `flat-${i}`);
    const a = configMap(chart, 'a');
    const b = configMap(chart, 'b');
    a.addDependency(b);
  }
}

describe('synthApp is byte-identical to stock App.synth()', () => {
  test.each(ALL_OUTPUT_TYPES)('on an app with cross-chart, object, nested and Lazy dependencies (output type %s)', type => {
    const { stock, ours } = synthBoth({ yamlOutputType: type, recordConstructMetadata: true }, richApp);
    expect(Object.keys(stock).length).toBeGreaterThan(1);
    expect(ours).toEqual(stock);
  });

  test.each(ALL_OUTPUT_TYPES)('when rendering YAML on worker threads (output type %s)', type => {
    const { stock, ours } = synthBoth({ yamlOutputType: type, recordConstructMetadata: true }, app => richApp(app, false), { renderThreads: 2 });
    expect(ours).toEqual(stock);
  });

  test('synthAppYaml on worker threads equals stock App.synthYaml()', () => {
    const stockApp = new App();
    richApp(stockApp, false);
    const oursApp = new App();
    richApp(oursApp, false);
    expect(synthAppYaml(oursApp, { renderThreads: 1 })).toEqual(stockApp.synthYaml());
  });

  test.each(ALL_OUTPUT_TYPES)('on independent charts (output type %s)', type => {
    const { stock, ours } = synthBoth({ yamlOutputType: type }, flatApp);
    expect(ours).toEqual(stock);
  });

  test('names chart files without an index when no chart depends on another', () => {
    const { ours } = synthBoth({}, flatApp);
    expect(Object.keys(ours)).toEqual(['flat-0.k8s.yaml', 'flat-1.k8s.yaml', 'flat-2.k8s.yaml', 'flat-3.k8s.yaml']);
  });

  test('orders dependent charts first and indexes their files', () => {
    const { ours } = synthBoth({}, app => richApp(app, false));
    const names = Object.keys(ours).sort();
    expect(names[0]).toMatch(/^0000-/);
    expect(names.indexOf(names.find(n => n.endsWith('-team-0.k8s.yaml'))!))
      .toBeLessThan(names.indexOf(names.find(n => n.endsWith('-team-1.k8s.yaml'))!));
  });

  test('honours a custom output file extension and an empty app', () => {
    const yml = synthBoth({ outputFileExtension: '.yml' }, app => richApp(app, false));
    expect(Object.keys(yml.ours).every(f => f.endsWith('.yml'))).toBe(true);
    expect(yml.ours).toEqual(yml.stock);
    const empty = synthBoth({ yamlOutputType: YamlOutputType.FILE_PER_APP }, () => undefined);
    expect(empty.ours).toEqual({});
    expect(empty.stock).toEqual({});
  });

  test('synthAppYaml equals stock App.synthYaml()', () => {
    const stockApp = new App();
    richApp(stockApp);
    const oursApp = new App();
    richApp(oursApp);
    expect(synthAppYaml(oursApp)).toEqual(stockApp.synthYaml());
  });

  test('orderCharts equals stock app.charts', () => {
    const stockApp = new App();
    richApp(stockApp);
    const oursApp = new App();
    richApp(oursApp);
    expect(orderCharts(oursApp).map(c => c.node.path)).toEqual(stockApp.charts.map(c => c.node.path));
  });
});

describe('GuardrailsApp', () => {
  test('synth() writes what stock App.synth() writes', () => {
    const dir = tmpDir();
    const app = new GuardrailsApp({ outdir: dir });
    richApp(app);
    app.synth();
    const { stock } = synthBoth({}, richApp);
    for (const [file, content] of Object.entries(stock)) {
      expect(fs.readFileSync(path.join(dir, file), 'utf8')).toEqual(content);
    }
    expect(fs.readdirSync(dir).sort()).toEqual(Object.keys(stock).sort());
  });

  test('synthYaml() and charts match stock', () => {
    const app = new GuardrailsApp();
    richApp(app);
    const stockApp = new App();
    richApp(stockApp);
    expect(app.charts.map(c => c.node.path)).toEqual(stockApp.charts.map(c => c.node.path));
    expect(app.synthYaml()).toEqual(stockApp.synthYaml());
  });

  test('runs beforeWrite hooks on resolved manifests before writing', () => {
    const dir = tmpDir();
    const seen: string[] = [];
    const app = new GuardrailsApp({
      outdir: dir,
      beforeWrite: [charts => {
        for (const c of charts) for (const o of c.objects) seen.push(`${o.apiObject.node.path}:${o.manifest.kind}`);
        expect(fs.readdirSync(dir)).toEqual([]);
      }],
    });
    richApp(app);
    app.synth();
    expect(seen).toContain('team-0/lazy:ConfigMap');
    expect(seen).toContain('platform/included/included-namespace:Namespace');
  });

  test.each([0, 1])('a beforeWrite hook that throws fails the synth with nothing written (%i render threads)', renderThreads => {
    const dir = tmpDir();
    const app = new GuardrailsApp({ outdir: dir, renderThreads });
    app.addBeforeWriteHook(charts => {
      const secrets = charts.flatMap(c => c.objects).filter(o => o.manifest.kind === 'Secret');
      if (secrets.length > 0) throw new GuardrailError(`policy: ${secrets.map(o => o.apiObject.node.path).join(', ')} must not be Secrets`);
    });
    richApp(app);
    expect(() => app.synth()).toThrow(/policy: team-0\/dup-a, team-5\/dup-b must not be Secrets/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('errors', () => {
  test('a chart dependency cycle throws a GuardrailError showing the whole cycle', () => {
    const app = new App({ outdir: tmpDir() });
    const a = new Chart(app, 'a');
    const b = new Chart(app, 'b');
    const c = new Chart(app, 'c');
    configMap(a, 'x');
    a.addDependency(b);
    b.addDependency(c);
    c.addDependency(a);
    expect(() => synthApp(app)).toThrow(GuardrailError);
    expect(() => synthApp(app)).toThrow(/Chart 'a': is part of a dependency cycle: a => b => c => a .*Remove one of the addDependency calls/);
  });

  test('an object dependency cycle inside a chart shows the object paths', () => {
    const app = new App({ outdir: tmpDir() });
    const chart = new Chart(app, 'chart');
    const x = configMap(chart, 'x');
    const y = configMap(chart, 'y');
    const z = configMap(chart, 'z');
    configMap(chart, 'free');
    x.addDependency(y);
    y.addDependency(z);
    z.addDependency(y);
    expect(() => synthApp(app)).toThrow(/ApiObject 'chart\/y': is part of a dependency cycle: chart\/y => chart\/z => chart\/y/);
  });

  test('a construct that depends on itself is reported as a cycle', () => {
    const app = new App({ outdir: tmpDir() });
    const chart = new Chart(app, 'chart');
    const x = configMap(chart, 'x');
    x.addDependency(x);
    expect(() => synthApp(app)).toThrow(/chart\/x => chart\/x/);
  });

  test('validation errors surface with the same message as stock', () => {
    const build = (app: App) => {
      const chart = new Chart(app, 'chart');
      configMap(chart, 'ok');
      chart.node.addValidation({ validate: () => ['chart is wrong'] });
      configMap(chart, 'bad').node.addValidation({ validate: () => ['first', 'second'] });
    };
    const stockApp = new App({ outdir: tmpDir() });
    build(stockApp);
    let stockMessage = '';
    try {
      stockApp.synth();
    } catch (e) {
      stockMessage = (e as Error).message;
    }
    expect(stockMessage).toMatch(/Validation failed/);
    const oursApp = new App({ outdir: tmpDir() });
    build(oursApp);
    expect(() => synthApp(oursApp)).toThrow(stockMessage);
    expect(stockMessage).toEqual('Validation failed with the following errors:\n  [chart] chart is wrong\n  [chart/bad] first\n  [chart/bad] second');
  });

  test('rendering errors surface like stock', () => {
    const build = (app: App) => {
      const chart = new Chart(app, 'chart');
      new ApiObject(chart, 'bad', { apiVersion: 'v1', kind: 'ConfigMap', data: { d: new Date(0) } });
    };
    const stockApp = new App({ outdir: tmpDir() });
    build(stockApp);
    expect(() => stockApp.synth()).toThrow(/Failed serializing construct at path 'chart\/bad'/);
    const oursApp = new App({ outdir: tmpDir() });
    build(oursApp);
    expect(() => synthApp(oursApp)).toThrow(/Failed serializing construct at path 'chart\/bad' with name 'chart-bad-c8[0-9a-f]+': Error: can't render non-simple object of type 'Date'/);
  });
});
