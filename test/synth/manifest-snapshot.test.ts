import { ApiObject, App, Chart } from 'cdk8s';
import fc from 'fast-check';
import { manifestSnapshot } from '../../lib';

/** An app team's chart (plain objects here, so the snapshot does not follow the library's defaults). */
class ShopChart extends Chart {
  constructor(scope: App, id: string) {
    super(scope, id, { namespace: 'production' });
    new ApiObject(this, 'settings', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { LOG_LEVEL: 'info' } });
    new ApiObject(this, 'db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: 'c2VjcmV0LXZhbHVl' } } as any);
  }
}

// The example test of docs/review.md ("Snapshot tests in an app repository").
test('the shop chart', () => {
  const app = new App();
  const chart = new ShopChart(app, 'shop');
  expect(manifestSnapshot(chart)).toMatchSnapshot();
});

describe('manifestSnapshot', () => {
  const secret = (chart: Chart, id: string) => new ApiObject(chart, id, {
    apiVersion: 'v1', kind: 'Secret', metadata: { name: id }, data: { password: 'c2VjcmV0LXZhbHVl' }, stringData: { token: 'plain-token' },
  } as any);

  test('masks the values of Secret data and stringData, keeps their keys', () => {
    const chart = new Chart(new App(), 'c');
    secret(chart, 'db');
    const text = manifestSnapshot(chart);
    expect(text).toContain('data:\n  password: "***"');
    expect(text).toContain('stringData:\n  token: "***"');
    expect(text).not.toContain('c2VjcmV0LXZhbHVl');
    expect(text).not.toContain('plain-token');
  });

  test('masks a Secret inside a List', () => {
    const chart = new Chart(new App(), 'c');
    new ApiObject(chart, 'list', { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { k: 'c2VjcmV0LXZhbHVl' } }] } as any);
    expect(manifestSnapshot(chart)).not.toContain('c2VjcmV0LXZhbHVl');
  });

  test('does not depend on the order constructs were added in (property)', () => {
    const names = ['a', 'b', 'c', 'd'];
    const build = (order: string[]) => {
      const app = new App();
      for (const chartId of ['zeta', 'alpha']) {
        const chart = new Chart(app, chartId, { namespace: 'ns' });
        for (const n of order) {
          new ApiObject(chart, `cm-${n}`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${n}` }, data: { n } });
          secret(chart, `s-${n}`);
        }
      }
      return manifestSnapshot(app);
    };
    const expected = build(names);
    expect(expected.indexOf('# chart: alpha')).toBeLessThan(expected.indexOf('# chart: zeta'));
    expect(expected.indexOf('kind: ConfigMap')).toBeLessThan(expected.indexOf('kind: Secret'));
    fc.assert(fc.property(fc.shuffledSubarray(names, { minLength: names.length }), (order) => {
      expect(build(order)).toBe(expected);
    }), { numRuns: 20 });
  });
});
