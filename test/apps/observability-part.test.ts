import { App, Chart, Testing } from 'cdk8s';
import { production } from '../../apps/config/production';
import { CLOUDS } from '../../apps/config/shop-config';
import { addObservability } from '../../apps/parts/observability';
import { SecureDeployment } from '../../lib';
import { promqlErrors, promqlJoinProblems } from '../observability/promql-grammar';
import { expectRestricted } from '../support/pod-security';

/**
 * A chart with production's user-service (metrics declared) and order-service (none), declared as
 * the shop stack does. Built here rather than with ShopStack so this test holds before and after
 * the stack calls addObservability itself.
 */
function userServiceChart(id = 'production') {
  const stack = new Chart(new App(), id, { namespace: production.namespace, disableResourceNameHashes: true });
  const svc = production.services['user-service'];
  const userService = new SecureDeployment(stack, 'user-service', {
    image: `${CLOUDS.aws.registry}/${svc.repository}:${svc.tag}`,
    ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }],
    metrics: { port: 'http', path: '/metrics' },
    autoscaling: svc.autoscaling,
  });
  const order = production.services['order-service'];
  const orderService = new SecureDeployment(stack, 'order-service', {
    image: `${CLOUDS.aws.registry}/${order.repository}:${order.tag}`,
    replicas: production.replicas,
  });
  return { stack, userService, orderService };
}

function productionStack() {
  const { stack, userService, orderService } = userServiceChart();
  const parts = addObservability(stack, [userService, orderService], {
    prometheusLabels: { release: 'kube-prometheus-stack' },
    requestMetrics: { 'user-service': { requestsTotal: 'http_requests_total', durationSecondsHistogram: 'http_request_duration_seconds' } },
    logSidecarFor: 'user-service',
    logOutput: { kind: 'forward', host: 'fluentd.logging.svc' },
  });
  return { stack, parts, objects: Testing.synth(stack) };
}

describe('addObservability (production stack part)', () => {
  test('adds a ServiceMonitor for each service that declares metrics, matching its Service', () => {
    const { objects } = productionStack();
    const monitors = objects.filter((o: any) => o.kind === 'ServiceMonitor');
    expect(monitors.map((m: any) => m.metadata.name)).toEqual(['user-service']);
    const [monitor] = monitors;
    const service = objects.find((o: any) => o.kind === 'Service' && o.metadata.name === 'user-service');
    for (const [key, value] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels[key]).toBe(value);
    expect(monitor.spec.namespaceSelector.matchNames).toEqual([service.metadata.namespace]);
    expect(service.spec.ports.map((p: any) => p.name)).toContain(monitor.spec.endpoints[0].port);
    expect(monitor.metadata.labels.release).toBe('kube-prometheus-stack');
  });

  test('adds the workload alert baseline and the cluster rules; every expression parses', () => {
    const { objects } = productionStack();
    const rules = objects.filter((o: any) => o.kind === 'PrometheusRule');
    expect(rules.map((r: any) => r.metadata.name).sort()).toEqual(['cluster-alerts', 'order-service-alerts', 'user-service-alerts']);
    const alerts = rules.flatMap((r: any) => r.spec.groups.flatMap((g: any) => g.rules));
    expect(alerts.map((a: any) => a.alert)).toEqual(expect.arrayContaining([
      'WorkloadCpuSaturation', 'WorkloadMemorySaturation', 'WorkloadLivenessProbeFailures', 'WorkloadPodsPending',
      'WorkloadContainerRestarts', 'WorkloadHpaMaxedOut', 'WorkloadErrorRate', 'WorkloadRequestRateAnomaly', 'WorkloadLatency', 'KubeNodeNotReady',
    ]));
    for (const alert of alerts) {
      expect({ alert: alert.alert, errors: promqlErrors(alert.expr), joins: promqlJoinProblems(alert.expr) })
        .toEqual({ alert: alert.alert, errors: [], joins: [] });
    }
  });

  test('adds the Fluent Bit sidecar to user-service and the pods stay PSS restricted', () => {
    const { objects } = productionStack();
    const deployment = objects.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'user-service');
    expect(deployment.spec.template.spec.containers.map((c: any) => c.name)).toContain('fluent-bit');
    const order = objects.find((o: any) => o.kind === 'Deployment' && o.metadata.name === 'order-service');
    expect(order.spec.template.spec.containers.map((c: any) => c.name)).not.toContain('fluent-bit');
    expect(objects.find((o: any) => o.kind === 'ConfigMap' && o.metadata.name === 'user-service-fluent-bit')).toBeDefined();
    expectRestricted(objects);
  });

  test('is deterministic', () => {
    expect(JSON.stringify(productionStack().objects)).toBe(JSON.stringify(productionStack().objects));
  });

  test('throws on unknown workload names', () => {
    const { stack, userService } = userServiceChart('x');
    expect(() => addObservability(stack, [userService], { logSidecarFor: 'billing' })).toThrow(/'logSidecarFor' 'billing' is not one of the workloads \(user-service\)/);
    const other = userServiceChart('y');
    expect(() => addObservability(other.stack, [other.userService], { requestMetrics: { billing: { requestsTotal: 'x' } } })).toThrow(/'requestMetrics' names 'billing'/);
  });
});
