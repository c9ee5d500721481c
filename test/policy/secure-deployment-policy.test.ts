import { Chart, Testing } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { checkPolicies } from '../../lib/policy';
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

  test('an internet-facing load balancer passes only because its reason is recorded as the suppression', () => {
    const { app, chart } = shop();
    const sd = new SecureDeployment(chart, 'web', {
      image: 'myregistry.com/web:v1.0.0',
      service: { type: 'LoadBalancer', internetFacingReason: 'public storefront behind the CDN' },
    });
    expect(() => checkPolicies(app)).not.toThrow();
    expect(Testing.synth(chart).find((m) => m.kind === 'Service').metadata.annotations)
      .toEqual({ 'policy.cdk8s-guardrails.io/suppress.internal-load-balancer': 'public storefront behind the CDN' });
    // A LoadBalancer Service written without SecureDeployment's reason still fails the rule.
    new k8s.KubeService(chart, 'raw-lb', { metadata: { name: 'raw-lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    expect(() => checkPolicies(app)).toThrow(/\[shop\/raw-lb\] Service production\/raw-lb violates K8sInternalLoadBalancer \(internal-load-balancer\)/);
    expect(sd.service).toBeDefined();
  });
});
