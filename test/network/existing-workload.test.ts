import { Chart, Testing } from 'cdk8s';
import { ExistingWorkload, WorkloadNetworkPolicy } from '../../lib/network';
import { SecureDeployment } from '../../lib/workload';

function chart() {
  return new Chart(Testing.app(), 'shop', { namespace: 'production' });
}

describe('ExistingWorkload', () => {
  test('defaults: app label, chart namespace, name as ServiceAccount and Service', () => {
    const frontend = ExistingWorkload.fromAttributes(chart(), 'frontend', { name: 'frontend', ports: [{ name: 'http', number: 80 }] });
    expect(frontend.selectorLabels).toEqual({ app: 'frontend' });
    expect(frontend.namespace).toBe('production');
    expect(frontend.serviceAccountName).toBe('frontend');
    expect(frontend.serviceName).toBe('frontend');
    expect(frontend.findPort('http')).toEqual({ name: 'http', number: 80, protocol: 'TCP' });
    expect(frontend.findPort(81)).toBeUndefined();
  });

  test('emits nothing, and flows with it open only this end by default', () => {
    const c = chart();
    const api = new SecureDeployment(c, 'user-service', { image: 'myregistry.com/user-service:v1.2.3' });
    const frontend = ExistingWorkload.fromAttributes(c, 'frontend', { name: 'frontend' });
    WorkloadNetworkPolicy.of(api).allowFrom(frontend, { port: 'http' });
    const policies = Testing.synth(c).filter((m) => m.kind === 'NetworkPolicy');
    expect(policies.map((p) => p.metadata.name)).toEqual(['user-service-flows']);
    expect(policies[0].spec.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { app: 'frontend' } } }], ports: [{ port: 8080, protocol: 'TCP' }] },
    ]);
  });

  test('bothEnds: true also writes its policy', () => {
    const c = chart();
    const api = new SecureDeployment(c, 'user-service', { image: 'myregistry.com/user-service:v1.2.3' });
    const frontend = ExistingWorkload.fromAttributes(c, 'frontend', { name: 'frontend', namespace: 'web', selectorLabels: { 'app.kubernetes.io/name': 'frontend' } });
    WorkloadNetworkPolicy.of(api).allowFrom(frontend, { bothEnds: true });
    const egress = Testing.synth(c).find((m) => m.metadata.name === 'frontend-flows');
    expect(egress.metadata.namespace).toBe('web');
    expect(egress.spec.egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'production' } }, podSelector: { matchLabels: { app: 'user-service' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    }]);
  });

  test('errors', () => {
    const c = chart();
    expect(() => ExistingWorkload.fromAttributes(c, 'a', { name: 'Front' })).toThrow(/ExistingWorkload 'shop\/a': name 'Front' is not a valid DNS-1123 label/);
    expect(() => ExistingWorkload.fromAttributes(c, 'b', { name: 'b', selectorLabels: {} })).toThrow(/selectorLabels is empty, which would select every pod of the namespace/);
    expect(() => ExistingWorkload.fromAttributes(c, 'c', { name: 'c', ports: [{ name: 'http', number: 0 }] })).toThrow(/port 'http' number 0 is not a valid port number/);
    expect(() => ExistingWorkload.fromAttributes(c, 'd', { name: 'd', ports: [{ name: 'HTTP', number: 80 }] })).toThrow(/port name 'HTTP' is not a valid port name/);
    expect(() => ExistingWorkload.fromAttributes(c, 'e', { name: 'e', namespace: 'Web' })).toThrow(/namespace 'Web' is not a valid DNS-1123 label/);
  });
});

describe('WorkloadNetworkPolicy on a SecureDeployment', () => {
  test('resolves port names against the deployment and selects its pods', () => {
    const c = chart();
    const api = new SecureDeployment(c, 'user-service', { image: 'myregistry.com/user-service:v1.2.3', ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }] });
    const worker = new SecureDeployment(c, 'worker', { image: 'myregistry.com/worker:v1.0.0' });
    WorkloadNetworkPolicy.of(worker).allowTo(api, { port: 'grpc' });
    const manifests = Testing.synth(c);
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === 'user-service');
    const policy = manifests.find((m) => m.metadata.name === 'user-service-flows');
    expect(deployment.spec.template.metadata.labels).toMatchObject(policy.spec.podSelector.matchLabels);
    expect(policy.spec.ingress[0].ports).toEqual([{ port: 8081, protocol: 'TCP' }]);
    expect(() => WorkloadNetworkPolicy.of(worker).allowTo(api, { port: 'admin' })).toThrow(/'user-service' does not expose that port; it declares http \(8080\/TCP\), grpc \(8081\/TCP\)/);
  });
});
