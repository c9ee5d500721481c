import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart, Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { ClusterAlertRules, WorkloadAlertRules } from '../../lib/observability';
import { FakeWorkload } from '../support/fake-workload';

// Optional, stronger check: when Prometheus' `promtool` is installed (Debian: `apt-get install
// prometheus`), the emitted rules must pass `promtool check rules` (PromQL semantics and the
// annotation templates) and fire, with the expected labels, on synthetic series that carry the
// extra labels real cAdvisor and kube-state-metrics series have.
function findPromtool(): string | undefined {
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return undefined;
  }
}
const promtool = findPromtool();
// CI installs promtool and sets REQUIRE_PROMTOOL=1, so there the suite can never skip silently.
if (!promtool && process.env.REQUIRE_PROMTOOL === '1') {
  throw new Error("REQUIRE_PROMTOOL=1 but 'promtool' is not on PATH: install it (Debian: apt-get install prometheus).");
}
const describeIfPromtool = promtool ? describe : describe.skip;

const NS = 'production';
const POD = 'user-service-5d8f9c7b6-x2k9p';
const OTHER_POD = 'user-service-admin-7c9d8f6b5-abcde';
const CADVISOR = `job="kubelet", metrics_path="/metrics/cadvisor", instance="10.0.0.1:10250", image="myregistry.com/user-service:v1.2.3", id="/kubepods/x"`;
const KSM = `job="kube-state-metrics", instance="10.1.0.5:8080"`;
const KSM_POD = `${KSM}, node="node-1", uid="0b7e"`;

function ruleGroups(anomaly?: { baselineOffset: string; for: string }): any[] {
  const chart = new Chart(Testing.app(), 'prod', { namespace: NS });
  const workload = new FakeWorkload(chart, 'user-service', { namespace: NS, autoscaled: true });
  new WorkloadAlertRules(chart, 'Alerts', {
    workload, requests: { requestsTotal: 'http_requests_total', durationSecondsHistogram: 'http_request_duration_seconds' },
    requestRateAnomaly: anomaly,
  });
  new ClusterAlertRules(chart, 'Cluster');
  return Testing.synth(chart).filter((o: any) => o.kind === 'PrometheusRule').flatMap((o: any) => o.spec.groups);
}

describeIfPromtool('the alert rules under promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('promtool check rules accepts every rule and annotation template', () => {
    const file = path.join(dir, 'rules.yaml');
    fs.writeFileSync(file, stringify({ groups: ruleGroups() }));
    const out = execFileSync(promtool!, ['check', 'rules', file], { encoding: 'utf8' });
    expect(out).toMatch(/SUCCESS: 10 rules found/);
  });

  /** Runs promtool's unit tests; annotations are dropped (checked above), or it would demand their rendered text. */
  function runTests(groups: any[], tests: any): string {
    const bare = groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _, ...rule }: any) => rule) }));
    fs.writeFileSync(path.join(dir, 'bare.yaml'), stringify({ groups: bare }));
    fs.writeFileSync(path.join(dir, 'tests.yaml'), stringify({ rule_files: ['bare.yaml'], evaluation_interval: '1m', tests }));
    try {
      return execFileSync(promtool!, ['test', 'rules', 'tests.yaml'], { cwd: dir, encoding: 'utf8' });
    } catch (e: any) {
      throw new Error(`promtool test rules failed:\n${e.stdout}${e.stderr}`);
    }
  }

  test('the request-rate anomaly fires when QPS triples against its baseline, not before', () => {
    const groups = ruleGroups({ baselineOffset: '10m', for: '2m' });
    const series = `http_requests_total{namespace="${NS}", pod="${POD}", code="200", job="user-service"}`;
    const output = runTests(groups, [{
      interval: '1m',
      // 10 requests/s for 15 minutes, then 30/s.
      input_series: [{ series, values: '0+600x15 10800+1800x20' }],
      alert_rule_test: [
        { eval_time: '14m', alertname: 'WorkloadRequestRateAnomaly', exp_alerts: [] },
        { eval_time: '25m', alertname: 'WorkloadRequestRateAnomaly', exp_alerts: [{ exp_labels: { severity: 'warning', workload: 'user-service', namespace: NS } }] },
      ],
    }]);
    expect(output).toMatch(/SUCCESS/);
  });

  test('a healthy workload raises no alert', () => {
    const c = (extra: string) => `namespace="${NS}", pod="${POD}", container="user-service", ${extra}`;
    const quiet = ['WorkloadCpuSaturation', 'WorkloadMemorySaturation', 'WorkloadLivenessProbeFailures', 'WorkloadPodsPending',
      'WorkloadContainerRestarts', 'WorkloadHpaMaxedOut', 'WorkloadErrorRate', 'WorkloadLatency', 'KubeNodeNotReady'];
    const output = runTests(ruleGroups(), [{
      interval: '1m',
      input_series: [
        { series: `container_cpu_usage_seconds_total{${c(CADVISOR)}}`, values: '0+30x30' },
        { series: `kube_pod_container_resource_limits{${c(KSM_POD)}, resource="cpu", unit="core"}`, values: '1x30' },
        { series: `container_memory_working_set_bytes{${c(CADVISOR)}}`, values: `${256 * 2 ** 20}x30` },
        { series: `kube_pod_container_resource_limits{${c(KSM_POD)}, resource="memory", unit="byte"}`, values: `${512 * 2 ** 20}x30` },
        { series: `prober_probe_total{${c('job="kubelet"')}, probe_type="Liveness", result="failed"}`, values: '0x30' },
        { series: `prober_probe_total{${c('job="kubelet"')}, probe_type="Liveness", result="successful"}`, values: '0+6x30' },
        { series: `kube_pod_status_phase{namespace="${NS}", pod="${POD}", phase="Pending", ${KSM_POD}}`, values: '0x30' },
        { series: `kube_pod_status_phase{namespace="${NS}", pod="${POD}", phase="Running", ${KSM_POD}}`, values: '1x30' },
        { series: `kube_pod_container_status_restarts_total{${c(KSM_POD)}}`, values: '2x30' },
        { series: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${NS}", horizontalpodautoscaler="user-service", ${KSM}}`, values: '5x30' },
        { series: `kube_horizontalpodautoscaler_spec_max_replicas{namespace="${NS}", horizontalpodautoscaler="user-service", ${KSM}}`, values: '10x30' },
        { series: `http_requests_total{namespace="${NS}", pod="${POD}", code="200", job="user-service"}`, values: '0+600x30' },
        { series: `http_requests_total{namespace="${NS}", pod="${POD}", code="500", job="user-service"}`, values: '0+1x30' },
        { series: `http_request_duration_seconds_bucket{namespace="${NS}", pod="${POD}", le="0.1", job="user-service"}`, values: '0+600x30' },
        { series: `http_request_duration_seconds_bucket{namespace="${NS}", pod="${POD}", le="+Inf", job="user-service"}`, values: '0+601x30' },
        { series: `kube_node_status_condition{node="node-1", condition="Ready", status="true", ${KSM}}`, values: '1x30' },
      ],
      alert_rule_test: quiet.map((alertname) => ({ eval_time: '25m', alertname, exp_alerts: [] })),
    }]);
    expect(output).toMatch(/SUCCESS/);
  });

  test('the rules fire on synthetic cAdvisor, kubelet, kube-state-metrics and app series', () => {
    const c = (extra: string) => `namespace="${NS}", pod="${POD}", container="user-service", ${extra}`;
    const labels = (more: Record<string, string>) => ({ workload: 'user-service', namespace: NS, ...more });
    const output = runTests(ruleGroups(), [{
      interval: '1m',
      input_series: [
        // 0.9 cores used of a 1-core limit; another workload's pod at 100% must not alert.
        { series: `container_cpu_usage_seconds_total{${c(CADVISOR)}}`, values: '0+54x30' },
        { series: `container_cpu_usage_seconds_total{namespace="${NS}", pod="${OTHER_POD}", container="admin", ${CADVISOR}}`, values: '0+60x30' },
        { series: `kube_pod_container_resource_limits{${c(KSM_POD)}, resource="cpu", unit="core"}`, values: '1x30' },
        { series: `kube_pod_container_resource_limits{namespace="${NS}", pod="${OTHER_POD}", container="admin", ${KSM_POD}, resource="cpu", unit="core"}`, values: '1x30' },
        // 460Mi of a 512Mi limit (~90%).
        { series: `container_memory_working_set_bytes{${c(CADVISOR)}}`, values: `${460 * 2 ** 20}x30` },
        { series: `kube_pod_container_resource_limits{${c(KSM_POD)}, resource="memory", unit="byte"}`, values: `${512 * 2 ** 20}x30` },
        // 1 of 10 liveness probes fails each minute (10%).
        { series: `prober_probe_total{${c('job="kubelet", instance="10.0.0.1:10250", pod_uid="0b7e"')}, probe_type="Liveness", result="failed"}`, values: '0+1x30' },
        { series: `prober_probe_total{${c('job="kubelet", instance="10.0.0.1:10250", pod_uid="0b7e"')}, probe_type="Liveness", result="successful"}`, values: '0+9x30' },
        { series: `kube_pod_status_phase{namespace="${NS}", pod="${POD}", phase="Pending", ${KSM_POD}}`, values: '1x30' },
        { series: `kube_pod_container_status_restarts_total{${c(KSM_POD)}}`, values: '0+1x30' },
        { series: `kube_horizontalpodautoscaler_status_current_replicas{namespace="${NS}", horizontalpodautoscaler="user-service", ${KSM}}`, values: '10x30' },
        { series: `kube_horizontalpodautoscaler_spec_max_replicas{namespace="${NS}", horizontalpodautoscaler="user-service", ${KSM}}`, values: '10x30' },
        // 10% errors; latency around 0.9s.
        { series: `http_requests_total{namespace="${NS}", pod="${POD}", code="200", job="user-service", service="user-service"}`, values: '0+540x30' },
        { series: `http_requests_total{namespace="${NS}", pod="${POD}", code="500", job="user-service", service="user-service"}`, values: '0+60x30' },
        { series: `http_request_duration_seconds_bucket{namespace="${NS}", pod="${POD}", le="0.5", job="user-service"}`, values: '0+10x30' },
        { series: `http_request_duration_seconds_bucket{namespace="${NS}", pod="${POD}", le="1", job="user-service"}`, values: '0+600x30' },
        { series: `http_request_duration_seconds_bucket{namespace="${NS}", pod="${POD}", le="+Inf", job="user-service"}`, values: '0+600x30' },
        { series: `kube_node_status_condition{node="node-2", condition="Ready", status="true", ${KSM}}`, values: '0x30' },
      ],
      alert_rule_test: [
        { eval_time: '15m', alertname: 'WorkloadCpuSaturation', exp_alerts: [{ exp_labels: labels({ severity: 'warning', pod: POD, container: 'user-service' }) }] },
        { eval_time: '15m', alertname: 'WorkloadMemorySaturation', exp_alerts: [{ exp_labels: labels({ severity: 'warning', pod: POD, container: 'user-service' }) }] },
        { eval_time: '15m', alertname: 'WorkloadLivenessProbeFailures', exp_alerts: [{ exp_labels: labels({ severity: 'warning', pod: POD, container: 'user-service' }) }] },
        { eval_time: '9m', alertname: 'WorkloadPodsPending', exp_alerts: [] },
        { eval_time: '15m', alertname: 'WorkloadPodsPending', exp_alerts: [{ exp_labels: labels({ severity: 'warning', pod: POD }) }] },
        { eval_time: '25m', alertname: 'WorkloadContainerRestarts', exp_alerts: [{ exp_labels: labels({ severity: 'warning', pod: POD, container: 'user-service' }) }] },
        { eval_time: '20m', alertname: 'WorkloadHpaMaxedOut', exp_alerts: [{ exp_labels: labels({ severity: 'warning', horizontalpodautoscaler: 'user-service' }) }] },
        { eval_time: '15m', alertname: 'WorkloadErrorRate', exp_alerts: [{ exp_labels: labels({ severity: 'critical' }) }] },
        { eval_time: '15m', alertname: 'WorkloadLatency', exp_alerts: [{ exp_labels: labels({ severity: 'warning' }) }] },
        { eval_time: '15m', alertname: 'KubeNodeNotReady', exp_alerts: [{ exp_labels: { severity: 'critical', node: 'node-2', condition: 'Ready', status: 'true', job: 'kube-state-metrics', instance: '10.1.0.5:8080' } }] },
      ],
    }]);
    expect(output).toMatch(/SUCCESS/);
  });
});
