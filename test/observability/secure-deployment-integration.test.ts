import { Chart, Testing } from 'cdk8s';
import { promqlErrors } from './promql-grammar';
import { SecureDeployment, SecureDeploymentProps } from '../../lib';
import { addFluentBitSidecar, addTracing, WorkloadAlertRules, WorkloadMonitor } from '../../lib/observability';
import { expectRestricted } from '../support/pod-security';

function userService(props: Partial<SecureDeploymentProps> = {}) {
  const chart = new Chart(Testing.app(), 'prod', { namespace: 'production', disableResourceNameHashes: true });
  const workload = new SecureDeployment(chart, 'user-service', {
    image: 'myregistry.com/user-service:v1.2.3',
    ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }],
    metrics: { port: 'http', path: '/metrics' },
    autoscaling: { minReplicas: 3, maxReplicas: 10 },
    ...props,
  });
  return { chart, workload };
}

describe('observability on a real SecureDeployment', () => {
  test("the ServiceMonitor selects the workload's Service, in its namespace, on its metrics port", () => {
    const { chart, workload } = userService();
    new WorkloadMonitor(chart, 'Monitor', { workload });
    const objects = Testing.synth(chart);
    const monitor = objects.find((o: any) => o.kind === 'ServiceMonitor');
    const service = objects.find((o: any) => o.kind === 'Service');
    expect(monitor.metadata.namespace).toBe('production');
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [service.metadata.namespace] });
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels[key]).toBe(value);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
  });

  test('the monitor takes the declared metrics port, path and interval', () => {
    const { chart, workload } = userService({ metrics: { port: 'grpc', path: '/stats' } });
    const monitor = new WorkloadMonitor(chart, 'Monitor', { workload });
    expect([monitor.port.name, monitor.path, monitor.interval]).toEqual(['grpc', '/stats', '30s']);
  });

  test('fails synth when the Service does not expose the metrics port', () => {
    const { chart, workload } = userService({ service: { ports: ['grpc'] } });
    new WorkloadMonitor(chart, 'Monitor', { workload });
    expect(() => Testing.synth(chart)).toThrow(/ServiceMonitor scrapes port 'http', but Service 'user-service' exposes grpc/);
  });

  test('a workload without a Service gets a PodMonitor selecting its pods', () => {
    const { chart, workload } = userService({ service: false });
    new WorkloadMonitor(chart, 'Monitor', { workload });
    const objects = Testing.synth(chart);
    const podMonitor = objects.find((o: any) => o.kind === 'PodMonitor');
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    for (const [key, value] of Object.entries(podMonitor.spec.selector.matchLabels)) {
      expect(deployment.spec.template.metadata.labels[key]).toBe(value);
    }
    expect(deployment.spec.template.spec.containers[0].ports.map((p: any) => p.name)).toContain(podMonitor.spec.podMetricsEndpoints[0].port);
  });

  test("alert rules watch the workload's pods and its HorizontalPodAutoscaler", () => {
    const { chart, workload } = userService();
    const rules = new WorkloadAlertRules(chart, 'Alerts', { workload });
    const objects = Testing.synth(chart);
    const hpa = objects.find((o: any) => o.kind === 'HorizontalPodAutoscaler');
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    const hpaRule = rules.alerts.find((a) => a.alert === 'WorkloadHpaMaxedOut')!;
    expect(hpaRule.expr).toContain(`horizontalpodautoscaler="${hpa.metadata.name}"`);
    const pattern = new RegExp(`^(?:${/pod=~"([^"]+)"/.exec(rules.alerts[0].expr)![1]})$`);
    expect(pattern.test(`${deployment.metadata.name}-5d8f9c7b6-x2k9p`)).toBe(true);
    for (const { expr } of rules.alerts) expect(promqlErrors(expr)).toEqual([]);
  });

  test('the Fluent Bit sidecar and tracing keep the pod PSS restricted', () => {
    const { chart, workload } = userService();
    const sidecar = addFluentBitSidecar(workload, { output: { kind: 'forward', host: 'fluentd.logging.svc' } });
    addTracing(workload, workload.container, { kind: 'otlp', serviceName: 'user-service' });
    const objects = Testing.synth(chart);
    expectRestricted(objects);
    const deployment = objects.find((o: any) => o.kind === 'Deployment');
    const containers = deployment.spec.template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual([workload.container.name, 'fluent-bit']);
    expect(containers[0].resources.limits).toBeDefined();
    expect(containers[0].volumeMounts).toContainEqual(expect.objectContaining({ name: 'app-logs', mountPath: '/var/log/app' }));
    expect(containers[0].env.map((e: any) => e.name)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(objects.find((o: any) => o.kind === 'ConfigMap' && o.metadata.name === 'user-service-fluent-bit').metadata.namespace).toBe('production');
    expect(sidecar.container.name).toBe('fluent-bit');
  });
});
