// Public API of the observability concern. Duration parsing, PromQL checks and runbook tables stay
// internal.
export type { PrometheusDuration } from './prometheus-duration';
export { WorkloadMonitor } from './workload-monitor';
export type { WorkloadMonitorProps, MetricsEndpointOptions, MonitorKind } from './workload-monitor';
export { AlertRules } from './alert-rules';
export type { AlertRulesProps, AlertRule, AlertSeverity } from './alert-rules';
export { WorkloadAlertRules } from './workload-alert-rules';
export type {
  WorkloadAlertRulesProps, AlertOptions, PercentAlertOptions, RestartAlertOptions, HpaAlertOptions,
  LatencyAlertOptions, RequestMetrics, RequestRateAnomalyOptions,
} from './workload-alert-rules';
export { ClusterAlertRules } from './cluster-alert-rules';
export type { ClusterAlertRulesProps } from './cluster-alert-rules';
export { tracingEnv, addTracing, allowTracingEgress } from './tracing';
export type { TracingOptions, JaegerAgentTracing, OpenTelemetryTracing } from './tracing';
export { FluentBitSidecar, addFluentBitSidecar } from './fluent-bit-sidecar';
export type {
  FluentBitSidecarProps, FluentBitSidecarOptions, FluentBitOutput, FluentBitStdoutOutput, FluentBitForwardOutput,
  FluentBitLokiOutput, FluentBitElasticsearchOutput, IHasMainContainer,
} from './fluent-bit-sidecar';
