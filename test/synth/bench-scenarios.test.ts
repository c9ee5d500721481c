import { YamlOutputType } from 'cdk8s';
import { synthBoth } from './compare';
import { layeredApp, servicesApp } from '../../bench/scenarios';

// The benchmark compares timings of stock and our synth on these apps: they must produce the same bytes.
describe('benchmark scenarios synthesize identically with stock and synthApp', () => {
  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE])('services (output type %s)', type => {
    const { stock, ours } = synthBoth({ yamlOutputType: type }, app => servicesApp(app, 3));
    expect(Object.keys(ours)).toHaveLength(type === YamlOutputType.FILE_PER_CHART ? 3 : 3 * 7); // + ServiceAccount
    expect(ours).toEqual(stock);
  });

  test('layered charts, each depending on the two before it', () => {
    const { stock, ours } = synthBoth({}, app => layeredApp(app, 10));
    expect(Object.keys(ours)[0]).toEqual('0000-layer-000.k8s.yaml');
    expect(ours).toEqual(stock);
  });
});
