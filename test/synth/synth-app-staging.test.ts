import * as fs from 'fs';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import { readTree, tmpDir } from './compare';
import { synthApp } from '../../lib/synth';

// A renderer that renders like the real one but fails after handing over `failAfter` charts, as
// a worker thread that crashes midway would: the charts before it are already staged.
let failAfter = Infinity;
jest.mock('../../lib/synth/yaml-workers', () => {
  const actual = jest.requireActual('../../lib/synth/yaml-workers');
  class FailingRenderer extends actual.InlineRenderer {
    public collect(onBatch?: (ticket: number, docs: string[]) => void): string[][] {
      return super.collect((ticket: number, docs: string[]) => {
        if (ticket >= failAfter) throw new Error(`YAML rendering failed in a worker thread: chart ${ticket}`);
        onBatch?.(ticket, docs);
      });
    }
  }
  return { ...actual, WorkerRenderer: FailingRenderer };
});

function app(outdir: string, yamlOutputType: YamlOutputType): App {
  const result = new App({ outdir, yamlOutputType });
  for (let i = 0; i < 4; i++) {
    const chart = new Chart(result, `chart-${i}`);
    new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `config-${i}` }, data: { i: String(i) } });
  }
  return result;
}

const STAGED_TYPES = [YamlOutputType.FILE_PER_CHART, YamlOutputType.FILE_PER_RESOURCE, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE];

describe('synthApp with worker threads stages rendered charts', () => {
  afterEach(() => {
    failAfter = Infinity;
  });

  test.each(STAGED_TYPES)('a rendering failure after some charts were staged leaves nothing in outdir (output type %s)', type => {
    const dir = tmpDir();
    failAfter = 2;
    expect(() => synthApp(app(dir, type), { renderThreads: 1 })).toThrow(/YAML rendering failed in a worker thread: chart 2/);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test.each(STAGED_TYPES)('a successful synth leaves no staging folder and the same files as rendering inline (output type %s)', type => {
    const staged = tmpDir();
    const inline = tmpDir();
    synthApp(app(staged, type), { renderThreads: 1 });
    synthApp(app(inline, type), { renderThreads: 0 });
    expect(fs.readdirSync(staged).filter(name => name.startsWith('.'))).toEqual([]);
    expect(Object.keys(readTree(staged)).length).toBeGreaterThanOrEqual(4);
    expect(readTree(staged)).toEqual(readTree(inline));
  });

  test('files already in outdir are replaced only once everything has rendered', () => {
    const dir = tmpDir();
    fs.writeFileSync(`${dir}/chart-0.k8s.yaml`, 'previous\n');
    failAfter = 1;
    expect(() => synthApp(app(dir, YamlOutputType.FILE_PER_CHART), { renderThreads: 1 })).toThrow(/chart 1/);
    expect(readTree(dir)).toEqual({ 'chart-0.k8s.yaml': 'previous\n' });
    failAfter = Infinity;
    synthApp(app(dir, YamlOutputType.FILE_PER_CHART), { renderThreads: 1 });
    expect(readTree(dir)['chart-0.k8s.yaml']).toContain('name: config-0');
  });
});
