import { Construct } from 'constructs';
import { fail, show } from '../common/errors';
import { IWorkload } from '../workload/workload';
import { AlertRules, AlertRulesProps, AlertSeverity } from './alert-rules';
import { PrometheusDuration, resolvePrometheusDuration } from './prometheus-duration';
import { by, escapeRegex, isLabelName, isMetricName, matcher, num, on, series } from './promql';
import { validateRe2 } from './promql-check';
import { defaultRunbookUrl, validateRunbookUrl } from './runbooks';

/** What every baseline alert lets you override. */
export interface AlertOptions {
  /** Emit this alert. @default true */
  readonly enabled?: boolean;
  /** How long the condition must hold before the alert fires. @default - per alert, see the docs */
  readonly for?: PrometheusDuration;
  /** The `severity` label. @default - per alert: 'critical' for node NotReady and error rate, else 'warning' */
  readonly severity?: AlertSeverity;
  /** The runbook URL. @default - `<runbookBaseUrl>/<alert-name-in-kebab-case>` when `runbookBaseUrl` is set, else the closest prometheus-operator community runbook */
  readonly runbookUrl?: string;
  /** Extra labels for Alertmanager routing. @default - none beyond `severity` */
  readonly labels?: Record<string, string>;
}

/** A baseline alert with a percentage threshold. */
export interface PercentAlertOptions extends AlertOptions {
  /** Fire above this percentage, more than 0 and at most 100. @default - per alert: 85 for CPU and memory, 5 for probe failures and errors */
  readonly thresholdPercent?: number;
}

/** Options of the container-restarts alert. */
export interface RestartAlertOptions extends AlertOptions {
  /** Fire when a container restarted more than this many times within `window`. @default 3 */
  readonly maxRestarts?: number;
  /** The window restarts are counted over. @default '15m' */
  readonly window?: PrometheusDuration;
}

/** Options of the HPA-at-max-replicas alert. */
export interface HpaAlertOptions extends AlertOptions {
  /** The name of the HorizontalPodAutoscaler. @default - the workload's name */
  readonly hpaName?: string;
}

/** Options of the request-latency alert. */
export interface LatencyAlertOptions extends AlertOptions {
  /** The quantile to watch, above 0 and below 1. @default 0.99 */
  readonly quantile?: number;
  /** Fire when the quantile exceeds this many seconds. @default 0.5 */
  readonly thresholdSeconds?: number;
}

/** Options of the request-rate anomaly alert (QPS against its own history). */
export interface RequestRateAnomalyOptions extends PercentAlertOptions {
  /** How far back the baseline is taken: the same time this long ago. @default '1w' */
  readonly baselineOffset?: PrometheusDuration;
}

/** The request metrics a workload exports, for the error-rate and latency alerts. */
export interface RequestMetrics {
  /** A counter of all requests (e.g. `http_requests_total`). */
  readonly requestsTotal: string;
  /** The label of `requestsTotal` holding the response status. @default 'code' */
  readonly statusLabel?: string;
  /** A regex over `statusLabel` values that count as errors. @default '5..' */
  readonly errorStatusRegex?: string;
  /** A histogram of request durations in seconds, without its `_bucket` suffix (e.g. `http_request_duration_seconds`). @default - no latency alert */
  readonly durationSecondsHistogram?: string;
}

/** Props of {@link WorkloadAlertRules}. */
export interface WorkloadAlertRulesProps extends Omit<AlertRulesProps, 'name' | 'namespace'> {
  /** The workload to watch. */
  readonly workload: IWorkload;
  /** The `PrometheusRule` name. @default - `<workload name>-alerts` */
  readonly name?: string;
  /**
   * An RE2 pattern matching the workload's pod names in the `pod` label.
   * @default - `<name>-` then one or two lowercase alphanumeric segments, which matches Deployment
   * (`<name>-<hash>-<id>`) and StatefulSet (`<name>-<ordinal>`) pods but not those of `<name>-other`.
   */
  readonly podNamePattern?: string;
  /** The window of the `rate()`s. @default '5m' */
  readonly rateWindow?: PrometheusDuration;
  /**
   * Your runbook site: every alert without its own `runbookUrl` links `<base>/<alert-name-in-kebab-case>`
   * (e.g. `https://runbooks.example.com/workload-cpu-saturation`).
   * @default - the closest prometheus-operator community runbook (CPUThrottlingHigh, KubePodCrashLooping,
   * KubePodNotReady, KubeHpaMaxedOut), or its Kubernetes index where none fits
   */
  readonly runbookBaseUrl?: string;
  /** CPU usage against the CPU limit. @default - above 85% for 5m, warning */
  readonly cpuSaturation?: PercentAlertOptions;
  /** Memory working set against the memory limit. @default - above 85% for 5m, warning */
  readonly memorySaturation?: PercentAlertOptions;
  /** Failed liveness probes among all liveness probes. @default - above 5% for 5m, warning */
  readonly livenessProbeFailures?: PercentAlertOptions;
  /** Pods stuck in Pending. @default - more than 0 for 10m, warning */
  readonly podsPending?: AlertOptions;
  /** Containers restarting. @default - more than 3 restarts in 15m, for 5m, warning */
  readonly containerRestarts?: RestartAlertOptions;
  /**
   * The HPA running at its maximum replicas; only emitted when the workload has an autoscaler
   * (or `hpaName` names one). @default - for 15m, warning, when the workload has an HPA
   */
  readonly hpaMaxedOut?: HpaAlertOptions;
  /** The request metrics the workload exports. @default - no error-rate or latency alerts */
  readonly requests?: RequestMetrics;
  /** Error responses among all requests (needs `requests`). @default - above 5% for 5m, critical */
  readonly errorRate?: PercentAlertOptions;
  /** A request-latency quantile (needs `requests.durationSecondsHistogram`). @default - p99 above 0.5s for 5m, warning */
  readonly latency?: LatencyAlertOptions;
  /**
   * Request rate (QPS) off its dynamic baseline, the same time one week earlier (needs `requests`).
   * @default - more than 50% above or below the baseline for 15m, warning
   */
  readonly requestRateAnomaly?: RequestRateAnomalyOptions;
}

const CONTAINER = ['namespace', 'pod', 'container'];

/**
 * The documented alert baseline for one workload, as a `PrometheusRule` named
 * `<workload>-alerts` in the workload's namespace (group `<workload>.rules`):
 *
 * | alert | expression (per container unless noted) | default |
 * |---|---|---|
 * | `WorkloadCpuSaturation` | cAdvisor CPU rate / kube-state-metrics CPU limit | > 85% for 5m |
 * | `WorkloadMemorySaturation` | cAdvisor working set / memory limit | > 85% for 5m |
 * | `WorkloadLivenessProbeFailures` | kubelet failed / all liveness probes | > 5% for 5m |
 * | `WorkloadPodsPending` | pods in phase Pending | > 0 for 10m |
 * | `WorkloadContainerRestarts` | restarts within 15m | > 3 for 5m |
 * | `WorkloadHpaMaxedOut` | HPA current replicas >= max replicas | for 15m |
 * | `WorkloadErrorRate` | error / all requests (when declared) | > 5% for 5m, critical |
 * | `WorkloadLatency` | p99 request duration (when declared) | > 0.5s for 5m |
 * | `WorkloadRequestRateAnomaly` | QPS against QPS one week earlier (when declared) | off by > 50% for 15m |
 *
 * Joins use `on (namespace, pod, container)` over identically aggregated sides, so the extra
 * labels of cAdvisor and kube-state-metrics never break the match. Every threshold and
 * duration is validated with a message naming the field.
 */
export class WorkloadAlertRules extends AlertRules {
  /** The workload watched. */
  public readonly workload: IWorkload;
  /** The rule group name. */
  public readonly group: string;
  private readonly selector: readonly string[];
  private readonly rateWindow: string;
  private readonly runbookBaseUrl?: string;

  constructor(scope: Construct, id: string, props: WorkloadAlertRulesProps) {
    super(scope, id, { name: props.name ?? `${props.workload.name}-alerts`, namespace: props.workload.namespace, labels: props.labels });
    const workload = props.workload;
    this.workload = workload;
    this.group = `${workload.name}.rules`;
    this.rateWindow = resolvePrometheusDuration(this, "'rateWindow'", props.rateWindow ?? '5m');
    this.runbookBaseUrl = props.runbookBaseUrl;
    if (props.runbookBaseUrl !== undefined) validateRunbookUrl(this, "'runbookBaseUrl'", props.runbookBaseUrl);
    const podPattern = props.podNamePattern ?? `${escapeRegex(workload.name)}-([a-z0-9]+-)?[a-z0-9]+`;
    if (podPattern.trim() === '') fail(this, "'podNamePattern' is empty: give an RE2 pattern for the workload's pod names (e.g. 'user-service-.+').");
    validateRe2(this, "'podNamePattern'", podPattern, 'user-service-.+');
    this.selector = [
      ...(workload.namespace !== undefined ? [matcher('namespace', workload.namespace)] : []),
      matcher('pod', podPattern, '=~'),
    ];
    const name = workload.name;
    const where = workload.namespace !== undefined ? `${workload.namespace}/${name}` : name;
    const w = this.rateWindow;
    const sel = this.selector;
    const containers = [matcher('container', ''  , '!='), matcher('container', 'POD', '!='), ...sel];

    this.addBaseline('WorkloadCpuSaturation', props.cpuSaturation, { for: '5m', severity: 'warning', percent: 85 }, (o) => ({
      expr: `sum ${by(CONTAINER)} (rate(${series('container_cpu_usage_seconds_total', containers)}[${w}]))\n`
        + `  / ${on(CONTAINER)}\n`
        + `sum ${by(CONTAINER)} (${series('kube_pod_container_resource_limits', [matcher('resource', 'cpu'), matcher('unit', 'core'), ...sel])})\n`
        + `  > ${num(o.ratio)}`,
      summary: `Container {{ $labels.container }} of ${where} uses more than ${o.percent}% of its CPU limit.`,
      description: `Pod {{ $labels.pod }} container {{ $labels.container }} has used {{ $value | humanizePercentage }} of its CPU limit for ${o.for}; it is being throttled. Raise the CPU limit, scale out, or find the hot path.`,
    }));
    this.addBaseline('WorkloadMemorySaturation', props.memorySaturation, { for: '5m', severity: 'warning', percent: 85 }, (o) => ({
      expr: `max ${by(CONTAINER)} (${series('container_memory_working_set_bytes', containers)})\n`
        + `  / ${on(CONTAINER)}\n`
        + `sum ${by(CONTAINER)} (${series('kube_pod_container_resource_limits', [matcher('resource', 'memory'), matcher('unit', 'byte'), ...sel])})\n`
        + `  > ${num(o.ratio)}`,
      summary: `Container {{ $labels.container }} of ${where} uses more than ${o.percent}% of its memory limit.`,
      description: `Pod {{ $labels.pod }} container {{ $labels.container }} has a working set of {{ $value | humanizePercentage }} of its memory limit for ${o.for}; at 100% it is OOM-killed. Raise the memory limit or look for a leak.`,
    }));
    this.addBaseline('WorkloadLivenessProbeFailures', props.livenessProbeFailures, { for: '5m', severity: 'warning', percent: 5 }, (o) => ({
      expr: `sum ${by(CONTAINER)} (rate(${series('prober_probe_total', [matcher('probe_type', 'Liveness'), matcher('result', 'failed'), ...sel])}[${w}]))\n`
        + `  / ${on(CONTAINER)}\n`
        + `sum ${by(CONTAINER)} (rate(${series('prober_probe_total', [matcher('probe_type', 'Liveness'), ...sel])}[${w}]))\n`
        + `  > ${num(o.ratio)}`,
      summary: `More than ${o.percent}% of liveness probes of ${where} fail.`,
      description: `{{ $value | humanizePercentage }} of the liveness probes of pod {{ $labels.pod }} container {{ $labels.container }} failed over ${w}; the kubelet restarts the container when they fail in a row. Check the probe endpoint and the container's load.`,
    }));
    this.addBaseline('WorkloadPodsPending', props.podsPending, { for: '10m', severity: 'warning' }, (o) => ({
      expr: `sum ${by(['namespace', 'pod'])} (${series('kube_pod_status_phase', [matcher('phase', 'Pending'), ...sel])}) > 0`,
      summary: `Pod {{ $labels.pod }} of ${where} has been Pending for ${o.for}.`,
      description: `Pod {{ $labels.pod }} could not be scheduled or started for ${o.for}: check 'kubectl describe pod' for insufficient resources, unbound volumes, taints or image pull errors.`,
    }));
    this.addRestarts(props.containerRestarts, where);
    // Alert only on objects that exist: the HPA rule needs the workload's own autoscaler
    // (SecureDeployment `autoscaling`) or an HPA named in `hpaMaxedOut.hpaName`.
    const hasAutoscaler = (workload as { autoscaler?: unknown }).autoscaler !== undefined || props.hpaMaxedOut?.hpaName !== undefined;
    if (!hasAutoscaler && props.hpaMaxedOut !== undefined && props.hpaMaxedOut.enabled !== false) {
      fail(this, `'hpaMaxedOut' is configured, but workload ${show(name)} has no HorizontalPodAutoscaler, so the alert could never fire; give the workload 'autoscaling', name an existing HPA in 'hpaMaxedOut.hpaName', or drop 'hpaMaxedOut'.`);
    }
    const hpaName = props.hpaMaxedOut?.hpaName ?? name;
    if (hasAutoscaler) this.addBaseline('WorkloadHpaMaxedOut', props.hpaMaxedOut, { for: '15m', severity: 'warning' }, () => {
      const hpa = [...(workload.namespace !== undefined ? [matcher('namespace', workload.namespace)] : []), matcher('horizontalpodautoscaler', hpaName)];
      return {
        expr: `${series('kube_horizontalpodautoscaler_status_current_replicas', hpa)}\n`
          + `  >= ${on(['namespace', 'horizontalpodautoscaler'])}\n`
          + `${series('kube_horizontalpodautoscaler_spec_max_replicas', hpa)}`,
        summary: `HorizontalPodAutoscaler ${hpaName} of ${where} runs at its maximum replicas.`,
        description: `HPA ${hpaName} has run {{ $value }} replicas, its maximum, for long enough that demand may exceed capacity. Raise maxReplicas or make the workload cheaper per request.`,
      };
    });
    this.addRequestAlerts(props, where);
  }

  private addRestarts(options: RestartAlertOptions | undefined, where: string): void {
    const max = options?.maxRestarts ?? 3;
    if (!Number.isInteger(max) || max < 0) {
      fail(this, `'containerRestarts.maxRestarts' ${show(max)} is not allowed: use a whole number of at least 0 (e.g. 3).`);
    }
    const window = resolvePrometheusDuration(this, "'containerRestarts.window'", options?.window ?? '15m');
    this.addBaseline('WorkloadContainerRestarts', options, { for: '5m', severity: 'warning' }, () => ({
      expr: `sum ${by(CONTAINER)} (increase(${series('kube_pod_container_status_restarts_total', this.selector)}[${window}])) > ${max}`,
      summary: `Container {{ $labels.container }} of ${where} restarted more than ${max} times in ${window}.`,
      description: `Pod {{ $labels.pod }} container {{ $labels.container }} restarted {{ $value | humanize }} times in ${window}: look at its previous logs ('kubectl logs --previous') and its last termination reason.`,
    }));
  }

  private addRequestAlerts(props: WorkloadAlertRulesProps, where: string): void {
    const requests = props.requests;
    if (!requests) {
      for (const [field, value] of [['errorRate', props.errorRate], ['latency', props.latency], ['requestRateAnomaly', props.requestRateAnomaly]] as const) {
        if (value !== undefined && value.enabled !== false) {
          fail(this, `'${field}' is set but 'requests' is not: declare the workload's request metrics (e.g. { requestsTotal: 'http_requests_total' }) or drop '${field}'.`);
        }
      }
      return;
    }
    const metric = (what: string, value: string) => {
      if (!isMetricName(value)) fail(this, `${what} ${show(value)} is not a Prometheus metric name: use letters, digits, '_' and ':' (e.g. 'http_requests_total').`);
    };
    metric("'requests.requestsTotal'", requests.requestsTotal);
    const statusLabel = requests.statusLabel ?? 'code';
    if (!isLabelName(statusLabel)) fail(this, `'requests.statusLabel' ${show(statusLabel)} is not a Prometheus label name: use letters, digits and '_' (e.g. 'code' or 'status').`);
    const errorRegex = requests.errorStatusRegex ?? '5..';
    if (errorRegex === '') fail(this, "'requests.errorStatusRegex' is empty: give an RE2 pattern of error statuses (e.g. '5..').");
    validateRe2(this, "'requests.errorStatusRegex'", errorRegex, '5..');
    const w = this.rateWindow;
    const total = requests.requestsTotal;
    this.addBaseline('WorkloadErrorRate', props.errorRate, { for: '5m', severity: 'critical', percent: 5 }, (o) => ({
      expr: `sum ${by(['namespace'])} (rate(${series(total, [matcher(statusLabel, errorRegex, '=~'), ...this.selector])}[${w}]))\n`
        + `  / ${on(['namespace'])}\n`
        + `sum ${by(['namespace'])} (rate(${series(total, this.selector)}[${w}]))\n`
        + `  > ${num(o.ratio)}`,
      summary: `More than ${o.percent}% of the requests to ${where} fail.`,
      description: `{{ $value | humanizePercentage }} of the requests to ${where} answered ${statusLabel}=~${errorRegex} over ${w}. Check recent deploys, dependencies and the error logs.`,
    }));
    const offset = resolvePrometheusDuration(this, "'requestRateAnomaly.baselineOffset'", props.requestRateAnomaly?.baselineOffset ?? '1w');
    this.addBaseline('WorkloadRequestRateAnomaly', props.requestRateAnomaly, { for: '15m', severity: 'warning', percent: 50 }, (o) => {
      const now = `sum ${by(['namespace'])} (rate(${series(total, this.selector)}[${w}]))`;
      const then = `sum ${by(['namespace'])} (rate(${series(total, this.selector)}[${w}] offset ${offset}))`;
      return {
        expr: `abs(${now}\n  - ${on(['namespace'])}\n${then})\n  / ${on(['namespace'])}\n${then}\n  > ${num(o.ratio)}`,
        summary: `The request rate of ${where} is more than ${o.percent}% off its level ${offset} ago.`,
        description: `The requests per second to ${where} differ by {{ $value | humanizePercentage }} from the same time ${offset} earlier: a drop can mean clients cannot reach it, a surge can mean retries or abuse. Compare with the error rate and upstream traffic.`,
      };
    });
    const histogram = requests.durationSecondsHistogram;
    if (histogram === undefined) {
      if (props.latency !== undefined && props.latency.enabled !== false) {
        fail(this, "'latency' is set but 'requests.durationSecondsHistogram' is not: name the request-duration histogram (e.g. 'http_request_duration_seconds') or drop 'latency'.");
      }
      return;
    }
    metric("'requests.durationSecondsHistogram'", histogram);
    if (histogram.endsWith('_bucket')) {
      fail(this, `'requests.durationSecondsHistogram' ${show(histogram)} ends in '_bucket': give the histogram's base name (${show(histogram.slice(0, -'_bucket'.length))}).`);
    }
    const quantile = props.latency?.quantile ?? 0.99;
    if (!(quantile > 0 && quantile < 1)) fail(this, `'latency.quantile' ${show(quantile)} is not allowed: use a number above 0 and below 1 (e.g. 0.99 for p99).`);
    const seconds = props.latency?.thresholdSeconds ?? 0.5;
    if (!(seconds > 0) || !Number.isFinite(seconds)) fail(this, `'latency.thresholdSeconds' ${show(seconds)} is not allowed: use a number of seconds above 0 (e.g. 0.5).`);
    const p = `p${num(quantile * 100)}`;
    this.addBaseline('WorkloadLatency', props.latency, { for: '5m', severity: 'warning' }, (o) => ({
      expr: `histogram_quantile(${num(quantile)}, sum ${by(['namespace', 'le'])} (rate(${series(`${histogram}_bucket`, this.selector)}[${w}])))\n`
        + `  > ${num(seconds)}`,
      summary: `The ${p} latency of ${where} is above ${num(seconds)}s.`,
      description: `The ${p} request duration of ${where} has been {{ $value | humanizeDuration }} for ${o.for}, above ${num(seconds)}s. Check saturation, slow dependencies and recent deploys.`,
    }));
  }

  private addBaseline(
    alert: string,
    options: PercentAlertOptions | undefined,
    defaults: { for: string; severity: AlertSeverity; percent?: number },
    build: (resolved: { for: string; percent: number; ratio: number }) => { expr: string; summary: string; description: string },
  ): void {
    if (options?.enabled === false) return;
    const field = alert.replace(/^Workload/, '').replace(/^./, (c) => c.toLowerCase());
    const forDuration = resolvePrometheusDuration(this, `'${field}.for'`, options?.for ?? defaults.for, true);
    let percent = defaults.percent ?? 0;
    if (defaults.percent !== undefined && options?.thresholdPercent !== undefined) {
      percent = options.thresholdPercent;
      if (!(percent > 0 && percent <= 100)) {
        fail(this, `'${field}.thresholdPercent' ${show(percent)} is not a percentage: use a number above 0 and at most 100 (e.g. ${defaults.percent}).`);
      }
    }
    const built = build({ for: forDuration, percent, ratio: percent / 100 });
    this.addAlert({
      alert,
      expr: built.expr,
      for: forDuration,
      severity: options?.severity ?? defaults.severity,
      summary: built.summary,
      description: built.description,
      runbookUrl: options?.runbookUrl ?? defaultRunbookUrl(alert, this.runbookBaseUrl),
      labels: { ...options?.labels, workload: this.workload.name },
    }, this.group);
  }
}
