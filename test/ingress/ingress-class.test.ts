import { Chart, Testing } from 'cdk8s';
import { IngressClass } from '../../lib/ingress';

describe('IngressClass', () => {
  test('defaults to the nginx class of ingress-nginx, not marked default', () => {
    const chart = Testing.chart();
    new IngressClass(chart, 'class');
    expect(Testing.synth(chart)).toEqual([{
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    }]);
  });

  test('carries the default-class marker when asked', () => {
    const chart = Testing.chart();
    new IngressClass(chart, 'class', { isDefault: true });
    const [obj] = Testing.synth(chart);
    expect(obj.metadata.annotations).toEqual({ 'ingressclass.kubernetes.io/is-default-class': 'true' });
    expect(obj.metadata.namespace).toBeUndefined();
  });

  test('throws in a namespaced chart: an IngressClass is cluster-scoped', () => {
    const chart = new Chart(Testing.app(), 'apps', { namespace: 'production' });
    expect(() => new IngressClass(chart, 'class'))
      .toThrow("IngressClass 'apps/class': IngressClass is cluster-scoped, but its chart sets namespace 'production': create it in a chart without a namespace, e.g. the cluster baseline chart.");
  });

  test('throws for a bad name or controller', () => {
    expect(() => new IngressClass(Testing.chart(), 'c', { name: 'NGINX' })).toThrow(/IngressClass 'test\/c': name 'NGINX' is not a valid DNS-1123 subdomain/);
    expect(() => new IngressClass(Testing.chart(), 'c', { controller: 'nginx' })).toThrow(/IngressClass 'test\/c': controller 'nginx' is not a domain-prefixed path: use e.g. 'k8s.io\/ingress-nginx'/);
  });
});
