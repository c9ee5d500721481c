import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { resolveNamespace } from '../../lib/common/namespace';

describe('resolveNamespace', () => {
  test('takes the given namespace, else the chart namespace, else default', () => {
    const namespaced = new Construct(new Chart(Testing.app(), 'apps', { namespace: 'production' }), 'x');
    const plain = new Construct(Testing.chart(), 'x');
    expect(resolveNamespace(namespaced, 'staging')).toBe('staging');
    expect(resolveNamespace(namespaced, undefined)).toBe('production');
    expect(resolveNamespace(plain, undefined)).toBe('default');
  });

  test('throws for a namespace that is not a DNS-1123 label', () => {
    expect(() => resolveNamespace(new Construct(Testing.chart(), 'x'), 'Prod')).toThrow(/'test\/x': namespace 'Prod' is not a valid DNS-1123 label/);
  });
});
