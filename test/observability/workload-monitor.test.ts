import { Chart, Duration, Testing } from 'cdk8s';
import { WorkloadMonitor } from '../../lib/observability';
import { FakeWorkload, FakeWorkloadProps } from '../support/fake-workload';

/** An api workload exposing http (8080) and grpc (8081). */
const fake = (chart: Chart, name: string, props: FakeWorkloadProps = {}) =>
  new FakeWorkload(chart, name, { ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }], ...props });

function synthOf(kind: string, chart: ReturnType<typeof Testing.chart>): any[] {
  return Testing.synth(chart).filter((o: any) => o.kind === kind);
}

describe('WorkloadMonitor', () => {
  test('emits a ServiceMonitor whose selector matches the workload Service labels and namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    const workload = fake(chart, 'user-service', { namespace: 'shop' });
    // WHEN
    new WorkloadMonitor(chart, 'Monitor', { workload, port: 'http' });
    // THEN
    const [monitor] = synthOf('ServiceMonitor', chart);
    const [service] = synthOf('Service', chart);
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(monitor.metadata).toMatchObject({ name: 'user-service', namespace: 'shop' });
    expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [service.metadata.namespace] });
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) {
      expect(service.metadata.labels[key]).toBe(value);
    }
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
  });

  test('defaults to the first port, /metrics and a 30s interval', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    new WorkloadMonitor(chart, 'Monitor', { workload });
    const [monitor] = synthOf('ServiceMonitor', chart);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    expect(monitor.spec.namespaceSelector).toBeUndefined();
    expect(monitor.metadata.labels).toEqual({ 'app': 'api', 'app.kubernetes.io/managed-by': 'cdk8s-guardrails' });
  });

  test('finds the port by number and accepts cdk8s Durations', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    const monitor = new WorkloadMonitor(chart, 'Monitor', {
      workload, port: 8081, path: '/stats', interval: Duration.minutes(1), scrapeTimeout: Duration.seconds(10), scheme: 'https',
      labels: { release: 'kube-prometheus-stack' },
    });
    expect(monitor.port.name).toBe('grpc');
    const [object] = synthOf('ServiceMonitor', chart);
    expect(object.spec.endpoints).toEqual([{ port: 'grpc', path: '/stats', interval: '1m', scrapeTimeout: '10s', scheme: 'https' }]);
    expect(object.metadata.labels.release).toBe('kube-prometheus-stack');
  });

  test('emits a PodMonitor selecting the pods when the workload has no Service', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'worker', { namespace: 'jobs', service: false });
    const monitor = new WorkloadMonitor(chart, 'Monitor', { workload, port: 'http', interval: '15s' });
    expect(monitor.kind).toBe('PodMonitor');
    expect(synthOf('ServiceMonitor', chart)).toHaveLength(0);
    const [podMonitor] = synthOf('PodMonitor', chart);
    expect(podMonitor.spec.selector.matchLabels).toEqual(workload.selectorLabels);
    for (const [key, value] of Object.entries(podMonitor.spec.selector.matchLabels)) {
      expect(workload.podLabels[key]).toBe(value);
    }
    expect(podMonitor.spec.namespaceSelector).toEqual({ matchNames: ['jobs'] });
    expect(podMonitor.spec.podMetricsEndpoints).toEqual([{ port: 'http', path: '/metrics', interval: '15s' }]);
  });

  test('emits a PodMonitor on request even with a Service', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    new WorkloadMonitor(chart, 'Monitor', { workload, podMonitor: true });
    expect(synthOf('PodMonitor', chart)).toHaveLength(1);
    expect(synthOf('ServiceMonitor', chart)).toHaveLength(0);
  });

  test('throws when the port is not one of the workload ports', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    expect(() => new WorkloadMonitor(chart, 'Monitor', { workload, port: 'metrics' }))
      .toThrow(/WorkloadMonitor 'test\/Monitor': 'port' 'metrics' is not a port of workload 'api'; it declares http \(8080\), grpc \(8081\)/);
    expect(() => new WorkloadMonitor(chart, 'Monitor2', { workload, port: 9090 })).toThrow(/'port' 9090 is not a port/);
  });

  test('throws when the workload has no ports', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api', { ports: [], service: false });
    expect(() => new WorkloadMonitor(chart, 'Monitor', { workload })).toThrow(/declares no ports, so there is nothing to scrape/);
  });

  test.each(['30', '1.5m', '5 m', '1m1h', '', '30sec'])('throws on the invalid interval %p', (interval) => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    expect(() => new WorkloadMonitor(chart, 'Monitor', { workload, interval }))
      .toThrow(/'interval' .* is not a Prometheus duration: use whole numbers with the units y, w, d, h, m, s, ms/);
  });

  test('throws on a zero interval', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    expect(() => new WorkloadMonitor(chart, 'Monitor', { workload, interval: '0s' })).toThrow(/'interval' '0s' must be longer than zero/);
  });

  test('throws on an invalid scrapeTimeout and on one longer than the interval', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    expect(() => new WorkloadMonitor(chart, 'A', { workload, scrapeTimeout: '10 s' })).toThrow(/'scrapeTimeout' '10 s' is not a Prometheus duration/);
    expect(() => new WorkloadMonitor(chart, 'B', { workload, interval: '30s', scrapeTimeout: '1m' }))
      .toThrow(/'scrapeTimeout' \(1m\) must not be longer than 'interval' \(30s\)/);
    expect(() => new WorkloadMonitor(chart, 'C', { workload, scrapeTimeout: Duration.millis(1.5) })).toThrow(/'scrapeTimeout' '1.5ms' is not a Prometheus duration/);
  });

  test('throws on a path that is not an HTTP path', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    expect(() => new WorkloadMonitor(chart, 'Monitor', { workload, path: 'metrics' })).toThrow(/'path' 'metrics' is not an HTTP path: start it with '\/'/);
  });

  test('throws on invalid monitor labels', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api');
    expect(() => new WorkloadMonitor(chart, 'Monitor', { workload, labels: { release: 'not valid!' } })).toThrow(/'labels' 'release' has the value 'not valid!'/);
  });

  test('fails synth when the Service does not carry the selector labels', () => {
    const chart = Testing.chart();
    const workload = fake(chart, 'api', { serviceLabels: { app: 'other' } });
    new WorkloadMonitor(chart, 'Monitor', { workload });
    expect(() => Testing.synth(chart)).toThrow(/ServiceMonitor selects app=api, but Service 'api' has app='other': Prometheus would find no target/);
  });
});
