import { Chart, Testing } from 'cdk8s';
import { checkPolicies, PolicySuppression } from '../../lib/policy';
import { LoadBalancerPreset, SecureDeployment } from '../../lib/workload';

function shop() {
  const app = Testing.app();
  return { app, chart: new Chart(app, 'shop', { namespace: 'production' }) };
}

describe('SecureDeployment under the policy pack', () => {
  test.each([
    ['ClusterIP', {}],
    ['AWS internal NLB', { type: 'LoadBalancer' as const, loadBalancer: LoadBalancerPreset.awsInternalNlb() }],
    ['Alibaba intranet SLB', { type: 'LoadBalancer' as const, loadBalancer: LoadBalancerPreset.alibabaInternalSlb() }],
  ])('passes every rule with a %s Service', (_name, service) => {
    const { app, chart } = shop();
    new SecureDeployment(chart, 'user-service', { image: 'myregistry.com/user-service:v1.2.3', service });
    expect(() => checkPolicies(app)).not.toThrow();
  });

  test('an internet-facing load balancer fails the synth-time check until suppressed with a reason', () => {
    const { app, chart } = shop();
    const sd = new SecureDeployment(chart, 'web', {
      image: 'myregistry.com/web:v1.0.0',
      service: { type: 'LoadBalancer', internetFacingReason: 'public storefront' },
    });
    expect(() => checkPolicies(app)).toThrow(/\[shop\/web\/Service\] Service production\/web violates K8sInternalLoadBalancer \(internal-load-balancer\)/);
    PolicySuppression.add(sd.service!, 'internal-load-balancer', 'public storefront behind the CDN');
    expect(() => checkPolicies(app)).not.toThrow();
  });
});
