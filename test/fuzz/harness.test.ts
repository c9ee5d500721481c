import { ApiObject } from 'cdk8s';
import * as fc from 'fast-check';
import { fuzzConstruct } from './harness';

// The fuzz harness must be able to fail: each broken construct below is caught.
describe('fuzzConstruct catches', () => {
  const one = fc.constant({});
  test('an unclear error (no construct path)', () => {
    expect(() => fuzzConstruct(one, () => { throw new TypeError("Cannot read properties of undefined (reading 'x')"); }, 1))
      .toThrow(/unclear error for props/);
  });

  test('a pod that is not PSS restricted', () => {
    expect(() => fuzzConstruct(one, chart => new ApiObject(chart, 'p', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'r.io/a:v1' }] } }), 1))
      .toThrow(/PSS restricted violations/);
  });

  test('a schema-invalid object', () => {
    expect(() => fuzzConstruct(one, chart => new ApiObject(chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 1 as any } }), 1))
      .toThrow(/schema-invalid output/);
  });

  test('a custom resource its vendored CRD (crds/) refuses', () => {
    expect(() => fuzzConstruct(one, chart => new ApiObject(chart, 'pool', { apiVersion: 'projectcalico.org/v3', kind: 'IPPool', metadata: { name: 'p' }, spec: { cidr: '10.0.0.0/16', ipipMode: 'Sometimes', bogus: 1 } } as any), 1))
      .toThrow(/schema-invalid output[\s\S]*unknown field spec\.bogus[\s\S]*ipipMode/);
  });

  test('an object defined twice', () => {
    const twice = (chart: any) => {
      new ApiObject(chart, 'a', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
      new ApiObject(chart, 'b', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } });
    };
    // A clear error (naming both paths) is an allowed outcome, so the harness records it.
    expect(fuzzConstruct(one, twice, 1)).toEqual([{ kind: 'error', message: expect.stringContaining("is defined twice, by 'fuzz/a' and by 'fuzz/b'") }]);
  });
});
