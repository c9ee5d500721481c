import { Chart, Size } from 'cdk8s';
import { RestrictedNamespace } from '../../lib/namespace';
import { Connectivity } from '../../lib/network';
import { WorkloadAlertRules, WorkloadMonitor } from '../../lib/observability';
import { SecureIngress } from '../../lib/ingress';
import { DefaultServiceAccount, RegistryPullSecret } from '../../lib/registry';
import { SecureDeployment, WorkloadEnv } from '../../lib/workload';
import { checkedSynth } from './checked-synth';

/**
 * Document 004's microservice template: user-service (HTTP 8080 and gRPC 8081, private registry,
 * a ConfigMap with a log level and an app.yaml, secrets from a Secret, Prometheus annotations,
 * 3 to 10 replicas on CPU and memory, a disruption budget), behind the ingress controller, in a
 * restricted default-deny namespace, scraped by Prometheus.
 */
function microservice(app: import('cdk8s').App) {
  const chart = new Chart(app, 'user-service', { namespace: 'production', disableResourceNameHashes: true });
  new RestrictedNamespace(chart, 'namespace', { name: 'production' });
  const userService = new SecureDeployment(chart, 'user-service', {
    image: 'myregistry.com/user-service:v1.2.3',
    ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }],
    env: {
      DATABASE_PASSWORD: WorkloadEnv.fromSecret('user-service-secrets', 'database-password'),
      JAEGER_AGENT_HOST: WorkloadEnv.fromField('status.hostIP'),
    },
    config: { data: { LOG_LEVEL: 'info' }, files: { 'app.yaml': 'server:\n  port: 8080\n' } },
    secretMounts: [{ secretName: 'user-service-secrets', mountPath: '/etc/secrets' }],
    metrics: { port: 'http' },
    autoscaling: { minReplicas: 3, maxReplicas: 10 },
    tmpSize: Size.mebibytes(64),
  });
  const regcred = RegistryPullSecret.fromName(chart, 'regcred', 'regcred', 'production');
  new DefaultServiceAccount(chart, 'default-sa', { imagePullSecrets: [regcred], workloads: [userService] });
  new SecureIngress(chart, 'edge', { routes: [{ host: 'api.company.com', path: '/api/v1/users', backend: userService }] });
  new WorkloadMonitor(chart, 'monitor', { workload: userService });
  new WorkloadAlertRules(chart, 'alerts', { workload: userService });
  return userService;
}

describe("scenario: document 004's microservice template", () => {
  const { manifests, files } = checkedSynth((app) => { microservice(app); }, { pullPaths: { privateRegistries: ['myregistry.com'] } });

  test('synthesizes with the wiring and pull-path checks on', () => {
    expect(files).toEqual(['user-service.k8s.yaml']);
    const deployment = manifests.find((o) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(deployment.spec.template.spec.containers[0].envFrom).toBeUndefined();
  });

  test('the controller and Prometheus reach user-service on http only', () => {
    const net = new Connectivity(manifests, { extraPods: [
      { name: 'controller', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' } },
      { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
    ] });
    expect(net.canReach('ingress-nginx/controller', 'production/user-service', 'http')).toBe(true);
    expect(net.canReach('monitoring/prometheus', 'production/user-service', 'http')).toBe(true);
    expect(net.canReach('ingress-nginx/controller', 'production/user-service', 'grpc')).toBe(false);
  });

  test('without the pull secret the pull-path check fails the synth', () => {
    expect(() => checkedSynth((app) => {
      const chart = new Chart(app, 'bare', { namespace: 'production' });
      new SecureDeployment(chart, 'user-service', { image: 'myregistry.com/user-service:v1.2.3' });
    }, { pullPaths: { privateRegistries: ['myregistry.com'] } })).toThrow(/Pull-path check: 1 pod\(s\) would fail with ImagePullBackOff/);
  });
});
