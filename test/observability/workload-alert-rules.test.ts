import { Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { AlertRules, ClusterAlertRules, WorkloadAlertRules, WorkloadAlertRulesProps } from '../../lib/observability';
import { FakeWorkload } from '../support/fake-workload';
import { promqlErrors, promqlJoinProblems } from './promql-grammar';

const REQUESTS = { requestsTotal: 'http_requests_total', durationSecondsHistogram: 'http_request_duration_seconds' };

function build(props: Partial<WorkloadAlertRulesProps> = {}, namespace: string | undefined = 'shop') {
  const chart = Testing.chart();
  const workload = new FakeWorkload(chart, 'user-service', { namespace, autoscaled: true });
  const rules = new WorkloadAlertRules(chart, 'Alerts', { workload, ...props });
  const [object] = Testing.synth(chart).filter((o: any) => o.kind === 'PrometheusRule');
  const byName: Record<string, any> = Object.fromEntries(object.spec.groups.flatMap((g: any) => g.rules).map((r: any) => [r.alert, r]));
  return { chart, rules, object, byName };
}

describe('WorkloadAlertRules', () => {
  test('alerts only on objects that exist: no HPA-at-max alert without an HPA (issue 14 problem 7)', () => {
    const chart = Testing.chart();
    const workload = new FakeWorkload(chart, 'user-service', { namespace: 'shop' });
    const rules = new WorkloadAlertRules(chart, 'Alerts', { workload });
    expect(rules.alerts.map((a) => a.alert)).not.toContain('WorkloadHpaMaxedOut');
    expect(() => new WorkloadAlertRules(chart, 'Alerts2', { workload, hpaMaxedOut: { for: '30m' } })).toThrow(
      "WorkloadAlertRules 'test/Alerts2': 'hpaMaxedOut' is configured, but workload 'user-service' has no HorizontalPodAutoscaler, so the alert could never fire; give the workload 'autoscaling', name an existing HPA in 'hpaMaxedOut.hpaName', or drop 'hpaMaxedOut'.");
    // An HPA made elsewhere, named explicitly, still gets its alert.
    const named = new WorkloadAlertRules(chart, 'Alerts3', { workload, hpaMaxedOut: { hpaName: 'user-service-hpa' } });
    expect(named.alerts.map((a) => a.alert)).toContain('WorkloadHpaMaxedOut');
  });

  test('emits the documented alert set in one PrometheusRule in the workload namespace', () => {
    const { object, byName } = build({ requests: REQUESTS });
    expect(object.apiVersion).toBe('monitoring.coreos.com/v1');
    expect(object.metadata).toMatchObject({ name: 'user-service-alerts', namespace: 'shop' });
    expect(object.spec.groups.map((g: any) => g.name)).toEqual(['user-service.rules']);
    expect(Object.keys(byName)).toEqual([
      'WorkloadCpuSaturation', 'WorkloadMemorySaturation', 'WorkloadLivenessProbeFailures', 'WorkloadPodsPending',
      'WorkloadContainerRestarts', 'WorkloadHpaMaxedOut', 'WorkloadErrorRate', 'WorkloadRequestRateAnomaly', 'WorkloadLatency',
    ]);
  });

  test('every emitted expression parses with the PromQL grammar and joins on labels both sides keep', () => {
    for (const namespace of ['shop', undefined]) {
      const { rules } = build({ requests: { ...REQUESTS, statusLabel: 'status', errorStatusRegex: '5..|429' } }, namespace);
      expect(rules.alerts.length).toBe(9);
      for (const { alert, expr } of rules.alerts) {
        expect({ alert, errors: promqlErrors(expr) }).toEqual({ alert, errors: [] });
        expect({ alert, problems: promqlJoinProblems(expr) }).toEqual({ alert, problems: [] });
      }
    }
  });

  test('the grammar check catches a malformed expression and a broken join', () => {
    expect(promqlErrors('sum by (pod (rate(x[5m]))')).not.toEqual([]);
    expect(promqlJoinProblems('sum by (pod) (x) / on (namespace, pod) sum by (namespace, pod) (y)')).toEqual([
      'sum by (pod) (x) drops namespace needed by on (namespace, pod)',
    ]);
  });

  test('expressions stay valid for any threshold, window and workload name', () => {
    fc.assert(fc.property(
      fc.double({ min: 0.001, max: 100, noNaN: true }),
      fc.integer({ min: 1, max: 120 }),
      fc.stringMatching(/^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$/),
      (percent, minutes, name) => {
        const chart = Testing.chart();
        const workload = new FakeWorkload(chart, name, { namespace: 'ns' });
        const rules = new WorkloadAlertRules(chart, 'Alerts', {
          workload, rateWindow: `${minutes}m`, requests: REQUESTS,
          cpuSaturation: { thresholdPercent: percent }, errorRate: { thresholdPercent: percent },
        });
        for (const { expr } of rules.alerts) expect(promqlErrors(expr)).toEqual([]);
      },
    ), { numRuns: 30 });
  });

  test('CPU and memory saturation compare cAdvisor usage to kube-state-metrics limits above 85% for 5m', () => {
    const { byName } = build();
    const cpu = byName.WorkloadCpuSaturation;
    expect(cpu.expr).toContain('rate(container_cpu_usage_seconds_total{container!="", container!="POD", namespace="shop", pod=~"user-service-([a-z0-9]+-)?[a-z0-9]+"}[5m])');
    expect(cpu.expr).toContain('/ on (namespace, pod, container)');
    expect(cpu.expr).toContain('kube_pod_container_resource_limits{resource="cpu", unit="core", namespace="shop"');
    expect(cpu.expr).toMatch(/> 0\.85$/);
    expect(cpu.for).toBe('5m');
    expect(cpu.labels).toEqual({ severity: 'warning', workload: 'user-service' });
    const memory = byName.WorkloadMemorySaturation;
    expect(memory.expr).toContain('container_memory_working_set_bytes{container!=""');
    expect(memory.expr).toContain('kube_pod_container_resource_limits{resource="memory", unit="byte"');
    expect(memory.expr).toMatch(/> 0\.85$/);
    expect(memory.for).toBe('5m');
  });

  test('every alert carries severity, summary, description and a runbook URL', () => {
    const { byName } = build({ requests: REQUESTS });
    for (const rule of Object.values(byName)) {
      expect(Object.keys(rule.annotations).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.annotations.runbook_url).toMatch(/^https:\/\/runbooks\.prometheus-operator\.dev\/runbooks\/kubernetes\//);
      expect(['critical', 'warning', 'info']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+m$/);
    }
    expect(byName.WorkloadHpaMaxedOut.annotations.runbook_url).toBe('https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubehpamaxedout');
  });

  test('liveness failures use the kubelet prober metric above 5%', () => {
    const { byName } = build();
    const rule = byName.WorkloadLivenessProbeFailures;
    expect(rule.expr).toContain('prober_probe_total{probe_type="Liveness", result="failed", namespace="shop"');
    expect(rule.expr).toMatch(/> 0\.05$/);
  });

  test('pods Pending above 0 for 10m, restarts, HPA at max replicas', () => {
    const { byName } = build({ hpaMaxedOut: { hpaName: 'user-service-hpa' } });
    expect(byName.WorkloadPodsPending.expr).toBe('sum by (namespace, pod) (kube_pod_status_phase{phase="Pending", namespace="shop", pod=~"user-service-([a-z0-9]+-)?[a-z0-9]+"}) > 0');
    expect(byName.WorkloadPodsPending.for).toBe('10m');
    expect(byName.WorkloadContainerRestarts.expr).toMatch(/increase\(kube_pod_container_status_restarts_total\{.*\}\[15m\]\)\) > 3$/);
    const hpa = byName.WorkloadHpaMaxedOut.expr;
    expect(hpa).toContain('kube_horizontalpodautoscaler_status_current_replicas{namespace="shop", horizontalpodautoscaler="user-service-hpa"}');
    expect(hpa).toContain('>= on (namespace, horizontalpodautoscaler)');
    expect(hpa).toContain('kube_horizontalpodautoscaler_spec_max_replicas{namespace="shop", horizontalpodautoscaler="user-service-hpa"}');
  });

  test('no error-rate or latency alert without request metrics', () => {
    const { byName } = build();
    expect(byName.WorkloadErrorRate).toBeUndefined();
    expect(byName.WorkloadLatency).toBeUndefined();
  });

  test('error rate and latency rules use the declared request metrics', () => {
    const { byName } = build({ requests: REQUESTS, latency: { quantile: 0.95, thresholdSeconds: 0.25 } });
    expect(byName.WorkloadErrorRate.expr).toContain('rate(http_requests_total{code=~"5..", namespace="shop"');
    expect(byName.WorkloadErrorRate.labels.severity).toBe('critical');
    expect(byName.WorkloadLatency.expr).toMatch(/^histogram_quantile\(0\.95, sum by \(namespace, le\) \(rate\(http_request_duration_seconds_bucket\{/);
    expect(byName.WorkloadLatency.expr).toMatch(/> 0\.25$/);
    expect(byName.WorkloadLatency.annotations.summary).toBe('The p95 latency of shop/user-service is above 0.25s.');
  });

  test('the request rate is compared with its own level one week earlier', () => {
    const { byName } = build({ requests: REQUESTS, requestRateAnomaly: { thresholdPercent: 30, baselineOffset: '1d' } });
    const rule = byName.WorkloadRequestRateAnomaly;
    expect(rule.expr).toContain('[5m] offset 1d))');
    expect(rule.expr).toMatch(/^abs\(sum by \(namespace\) \(rate\(http_requests_total\{/);
    expect(rule.expr).toMatch(/> 0\.3$/);
    expect(rule.for).toBe('15m');
    expect(() => build({ requests: REQUESTS, requestRateAnomaly: { baselineOffset: 'last week' } }))
      .toThrow(/'requestRateAnomaly.baselineOffset' 'last week' is not a Prometheus duration/);
  });

  test('rules can be overridden and disabled', () => {
    const { byName } = build({
      cpuSaturation: { thresholdPercent: 90, for: '10m', severity: 'critical', runbookUrl: 'https://wiki.example.com/cpu', labels: { team: 'users' } },
      memorySaturation: { enabled: false },
      containerRestarts: { maxRestarts: 5, window: '1h' },
      runbookBaseUrl: 'https://runbooks.example.com/',
      podNamePattern: 'user-service-.+',
    });
    expect(byName.WorkloadCpuSaturation).toMatchObject({
      for: '10m', labels: { severity: 'critical', team: 'users', workload: 'user-service' }, annotations: { runbook_url: 'https://wiki.example.com/cpu' },
    });
    expect(byName.WorkloadCpuSaturation.expr).toMatch(/pod=~"user-service-\.\+"/);
    expect(byName.WorkloadCpuSaturation.expr).toMatch(/> 0\.9$/);
    expect(byName.WorkloadMemorySaturation).toBeUndefined();
    expect(byName.WorkloadContainerRestarts.expr).toMatch(/\[1h\]\)\) > 5$/);
    expect(byName.WorkloadPodsPending.annotations.runbook_url).toBe('https://runbooks.example.com/workload-pods-pending');
  });

  test('the default pod pattern matches Deployment and StatefulSet pods of the workload only', () => {
    const { rules } = build();
    const pattern = /pod=~"([^"]+)"/.exec(rules.alerts[0].expr)![1];
    const re = new RegExp(`^(?:${pattern})$`);
    expect(re.test('user-service-7d9f8b6c5-x2k9p')).toBe(true);
    expect(re.test('user-service-0')).toBe(true);
    expect(re.test('user-service-admin-7d9f8b6c5-x2k9p')).toBe(false);
    expect(re.test('other-7d9f8b6c5-x2k9p')).toBe(false);
  });

  test.each([[0], [-5], [101], [Number.NaN]])('throws on thresholdPercent %p', (thresholdPercent) => {
    expect(() => build({ cpuSaturation: { thresholdPercent } }))
      .toThrow(/WorkloadAlertRules 'test\/Alerts': 'cpuSaturation.thresholdPercent' .* is not a percentage: use a number above 0 and at most 100 \(e.g. 85\)/);
  });

  test('throws on invalid durations', () => {
    expect(() => build({ memorySaturation: { for: '5 minutes' } })).toThrow(/'memorySaturation.for' '5 minutes' is not a Prometheus duration/);
    expect(() => build({ rateWindow: '0s' })).toThrow(/'rateWindow' '0s' must be longer than zero/);
    expect(() => build({ containerRestarts: { window: '1.5h' } })).toThrow(/'containerRestarts.window' '1.5h' is not a Prometheus duration/);
  });

  test('throws on invalid restart counts, quantiles and latency thresholds', () => {
    expect(() => build({ containerRestarts: { maxRestarts: 1.5 } })).toThrow(/'containerRestarts.maxRestarts' 1.5 is not allowed: use a whole number of at least 0/);
    expect(() => build({ requests: REQUESTS, latency: { quantile: 99 } })).toThrow(/'latency.quantile' 99 is not allowed: use a number above 0 and below 1/);
    expect(() => build({ requests: REQUESTS, latency: { thresholdSeconds: 0 } })).toThrow(/'latency.thresholdSeconds' 0 is not allowed: use a number of seconds above 0/);
  });

  test('throws on invalid request metric names and missing request metrics', () => {
    expect(() => build({ requests: { requestsTotal: 'http-requests' } })).toThrow(/'requests.requestsTotal' 'http-requests' is not a Prometheus metric name/);
    expect(() => build({ requests: { requestsTotal: 'x', durationSecondsHistogram: 'd_seconds_bucket' } }))
      .toThrow(/'requests.durationSecondsHistogram' 'd_seconds_bucket' ends in '_bucket': give the histogram's base name \('d_seconds'\)/);
    expect(() => build({ requests: { requestsTotal: 'x', statusLabel: 'status-code' } })).toThrow(/'requests.statusLabel' 'status-code' is not a Prometheus label name/);
    expect(() => build({ errorRate: { thresholdPercent: 1 } })).toThrow(/'errorRate' is set but 'requests' is not/);
    expect(() => build({ requests: { requestsTotal: 'x' }, latency: { thresholdSeconds: 1 } })).toThrow(/'latency' is set but 'requests.durationSecondsHistogram' is not/);
  });

  test('throws on invalid runbook URLs', () => {
    expect(() => build({ runbookBaseUrl: 'runbooks/here' })).toThrow(/'runbookBaseUrl' 'runbooks\/here' is not an absolute http\(s\) URL/);
    expect(() => build({ podsPending: { runbookUrl: 'ftp://x' } })).toThrow(/alert 'WorkloadPodsPending' 'runbookUrl' 'ftp:\/\/x' is not an absolute http\(s\) URL/);
  });
});

describe('ClusterAlertRules', () => {
  test('alerts on a node NotReady for 10m', () => {
    const chart = Testing.chart();
    const rules = new ClusterAlertRules(chart, 'Cluster', { namespace: 'monitoring', labels: { release: 'prom' } });
    const [object] = Testing.synth(chart);
    expect(object.metadata).toMatchObject({ name: 'cluster-alerts', namespace: 'monitoring', labels: { release: 'prom' } });
    const [rule] = object.spec.groups[0].rules;
    expect(rule).toEqual({
      alert: 'KubeNodeNotReady',
      expr: 'kube_node_status_condition{condition="Ready", status="true"} == 0',
      for: '10m',
      labels: { severity: 'critical' },
      annotations: expect.objectContaining({ runbook_url: 'https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubenodenotready' }),
    });
    for (const { expr } of rules.alerts) expect(promqlErrors(expr)).toEqual([]);
  });

  test('the node alert can be disabled or retimed', () => {
    const chart = Testing.chart();
    expect(new ClusterAlertRules(chart, 'A', { nodeNotReady: { enabled: false } }).alerts).toEqual([]);
    expect(new ClusterAlertRules(chart, 'B', { name: 'b', nodeNotReady: { for: '15m' } }).alerts[0].for).toBe('15m');
    expect(() => new ClusterAlertRules(chart, 'C', { nodeNotReady: { for: 'ten minutes' } })).toThrow(/'nodeNotReady.for' 'ten minutes' is not a Prometheus duration/);
  });
});

describe('AlertRules', () => {
  const rule = { alert: 'QueueBacklog', expr: 'sum(queue_depth) > 100', severity: 'warning' as const, summary: 's', description: 'd', runbookUrl: 'https://r.example.com/q' };

  test('adds custom alerts to named groups', () => {
    const chart = Testing.chart();
    const rules = new AlertRules(chart, 'Rules', { name: 'custom' });
    rules.addAlert(rule, 'queue.rules');
    rules.addAlert({ ...rule, alert: 'QueueStuck', for: '1h' }, 'queue.rules');
    const [object] = Testing.synth(chart);
    expect(object.spec.groups).toEqual([{ name: 'queue.rules', rules: [
      { alert: 'QueueBacklog', expr: 'sum(queue_depth) > 100', labels: { severity: 'warning' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r.example.com/q' } },
      expect.objectContaining({ alert: 'QueueStuck', for: '1h' }),
    ] }]);
  });

  test('throws on invalid alerts', () => {
    const chart = Testing.chart();
    const rules = new AlertRules(chart, 'Rules', { name: 'custom' });
    expect(() => rules.addAlert({ ...rule, alert: 'queue-backlog' })).toThrow(/AlertRules 'test\/Rules': alert name 'queue-backlog' is not valid/);
    rules.addAlert(rule);
    expect(() => rules.addAlert(rule)).toThrow(/alert 'QueueBacklog' is already in group 'alerts'/);
    expect(() => rules.addAlert({ ...rule, alert: 'A', expr: ' ' })).toThrow(/alert 'A' has an empty expression/);
    expect(() => rules.addAlert({ ...rule, alert: 'B', severity: 'page' as any })).toThrow(/alert 'B' has severity 'page': use one of 'critical', 'warning', 'info'/);
    expect(() => rules.addAlert({ ...rule, alert: 'C', summary: '' })).toThrow(/alert 'C' has an empty summary/);
    expect(() => rules.addAlert({ ...rule, alert: 'D', for: '5' })).toThrow(/alert 'D' 'for' '5' is not a Prometheus duration/);
    expect(() => new AlertRules(chart, 'Bad', { name: 'Custom_Rules' })).toThrow(/'name' 'Custom_Rules' is not a valid DNS-1123 subdomain/);
  });
});
