import { Construct } from 'constructs';
import { fail, show } from '../../lib/common/errors';
import {
  ClusterAlertRules, FluentBitOutput, FluentBitSidecar, IHasMainContainer, RequestMetrics, WorkloadAlertRules, WorkloadMonitor, addFluentBitSidecar,
} from '../../lib/observability';
import { NamespacePeer } from '../../lib/network/implied-flows';
import { IWorkload } from '../../lib/workload/workload';

/** What the production stack's observability needs besides its workloads. */
export interface ObservabilityOptions {
  /** Labels Prometheus selects monitors and rules by (e.g. `{ release: 'kube-prometheus-stack' }`). @default - none */
  readonly prometheusLabels?: Record<string, string>;
  /** The request metrics of each workload, by workload name, for error-rate, QPS and latency alerts. @default {} */
  readonly requestMetrics?: Record<string, RequestMetrics>;
  /** Your runbook site. @default - the community runbooks */
  readonly runbookBaseUrl?: string;
  /** The name of the workload that gets the Fluent Bit log sidecar. @default - no sidecar */
  readonly logSidecarFor?: string;
  /** Where the sidecar ships logs. @default { kind: 'stdout' } */
  readonly logOutput?: FluentBitOutput;
  /** Add the cluster-wide rules (node NotReady). @default true */
  readonly clusterRules?: boolean;
  /** Where Prometheus runs, for the flows the monitors open. @default DEFAULT_PROMETHEUS */
  readonly prometheus?: NamespacePeer;
}

/** What {@link addObservability} created. */
export interface ObservabilityParts {
  /** A monitor per workload that declares metrics. */
  readonly monitors: readonly WorkloadMonitor[];
  /** The alert baseline per workload. */
  readonly alertRules: readonly WorkloadAlertRules[];
  /** The cluster-wide rules, when added. */
  readonly clusterRules?: ClusterAlertRules;
  /** The log sidecar, when requested. */
  readonly logSidecar?: FluentBitSidecar;
}

/**
 * The production stack's observability: a ServiceMonitor (or PodMonitor) for every workload that
 * declares metrics, the documented alert baseline for every workload plus the cluster rules, and
 * a Fluent Bit log sidecar on one workload.
 */
export function addObservability(scope: Construct, workloads: readonly IWorkload[], options: ObservabilityOptions = {}): ObservabilityParts {
  const parent = new Construct(scope, 'Observability');
  const names = workloads.map((w) => w.name);
  for (const name of Object.keys(options.requestMetrics ?? {})) {
    if (!names.includes(name)) fail(parent, `'requestMetrics' names ${show(name)}, which is not one of the workloads (${names.join(', ')}): fix the name.`);
  }
  const monitors: WorkloadMonitor[] = [];
  const alertRules: WorkloadAlertRules[] = [];
  for (const workload of workloads) {
    if ((workload as { metrics?: unknown }).metrics !== undefined) {
      monitors.push(new WorkloadMonitor(parent, `${workload.name}-monitor`, { workload, labels: options.prometheusLabels, prometheus: options.prometheus }));
    }
    alertRules.push(new WorkloadAlertRules(parent, `${workload.name}-alerts`, {
      workload,
      labels: options.prometheusLabels,
      runbookBaseUrl: options.runbookBaseUrl,
      requests: options.requestMetrics?.[workload.name],
    }));
  }
  const clusterRules = (options.clusterRules ?? true)
    ? new ClusterAlertRules(parent, 'cluster-alerts', { labels: options.prometheusLabels, runbookBaseUrl: options.runbookBaseUrl })
    : undefined;
  let logSidecar: FluentBitSidecar | undefined;
  if (options.logSidecarFor !== undefined) {
    const target = workloads.find((w) => w.name === options.logSidecarFor);
    if (!target) fail(parent, `'logSidecarFor' ${show(options.logSidecarFor)} is not one of the workloads (${names.join(', ')}): fix the name.`);
    if (!isPodWorkload(target)) fail(parent, `'logSidecarFor' ${show(options.logSidecarFor)} exposes no 'deployment' and 'container' to attach a sidecar to: choose a SecureDeployment.`);
    logSidecar = addFluentBitSidecar(target, { output: options.logOutput });
  }
  return { monitors, alertRules, clusterRules, logSidecar };
}

function isPodWorkload(workload: IWorkload): workload is IWorkload & IHasMainContainer {
  const candidate = workload as Partial<IHasMainContainer>;
  return candidate.deployment !== undefined && candidate.container !== undefined;
}
