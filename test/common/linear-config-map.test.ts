import { ApiObject, JsonPatch, Testing, Yaml } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import * as fc from 'fast-check';
import { LinearKubeConfigMap } from '../../lib/common/linear-config-map';
import { SecureDeployment } from '../../lib/workload';

const text = fc.string({ maxLength: 12 });
const key = (re: RegExp | number) => (typeof re === 'number' ? fc.string({ minLength: 1, maxLength: re }) : fc.stringMatching(re)).filter(k => k !== '__proto__');
const dict = <T>(k: fc.Arbitrary<string>, v: fc.Arbitrary<T>, maxKeys = 10) => fc.dictionary(k, v, { maxKeys, noNullPrototype: true });
const props = fc.record({
  metadata: fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
    labels: fc.option(dict(key(/^[a-z][a-z0-9./-]{0,10}$/), text), { nil: undefined }),
    annotations: fc.option(dict(key(/^[a-z][a-z0-9./-]{0,10}$/), text), { nil: undefined }),
  }, { requiredKeys: ['name'] }),
  data: fc.option(dict(key(10), text, 30), { nil: undefined }),
  binaryData: fc.option(dict(key(10), fc.base64String(), 5), { nil: undefined }),
  immutable: fc.option(fc.boolean(), { nil: undefined }),
}, { requiredKeys: ['metadata'] });

describe('LinearKubeConfigMap', () => {
  test('renders exactly what KubeConfigMap renders', () => {
    fc.assert(fc.property(props, p => {
      const chart = Testing.chart();
      const stock = new k8s.KubeConfigMap(chart, 'stock', p);
      const linear = new LinearKubeConfigMap(chart, 'linear', p);
      expect(Yaml.stringify(linear.toJson())).toBe(Yaml.stringify(stock.toJson()));
    }), { numRuns: 300 });
  });

  test('applies JSON patches like KubeConfigMap', () => {
    const chart = Testing.chart();
    const p = { metadata: { name: 'c' }, data: { b: '2', a: '1' } };
    const stock = new k8s.KubeConfigMap(chart, 'stock', p);
    const linear = new LinearKubeConfigMap(chart, 'linear', p);
    for (const o of [stock, linear]) ApiObject.of(o).addJsonPatch(JsonPatch.add('/data/c', '3'));
    expect(linear.toJson()).toEqual(stock.toJson());
  });

  test('a SecureDeployment config with 10,000 keys synthesizes (issue #17: 194 s before)', () => {
    const chart = Testing.chart();
    const data = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`KEY_${i}`, `v${i}`]));
    new SecureDeployment(chart, 'api', { image: 'r.io/a:v1', config: { data } });
    const configMap = Testing.synth(chart).find(m => m.kind === 'ConfigMap');
    expect(Object.keys(configMap.data)).toHaveLength(10_000);
    expect(configMap.data.KEY_9999).toBe('v9999');
  });
});
