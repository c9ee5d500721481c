import { Construct } from 'constructs';
import { AlertRules } from './alert-rules';
import { resolvePrometheusDuration } from './prometheus-duration';
import { matcher, series } from './promql';
import { defaultRunbookUrl, validateRunbookUrl } from './runbooks';
import { AlertOptions } from './workload-alert-rules';

/** Props of {@link ClusterAlertRules}. */
export interface ClusterAlertRulesProps {
  /** The `PrometheusRule` name. @default 'cluster-alerts' */
  readonly name?: string;
  /** Its namespace, usually where Prometheus runs. @default - the chart's namespace */
  readonly namespace?: string;
  /** Labels on the `PrometheusRule`, for the Prometheus `ruleSelector`. @default - only `app.kubernetes.io/managed-by` */
  readonly labels?: Record<string, string>;
  /** Your runbook site (see `WorkloadAlertRulesProps.runbookBaseUrl`). @default - the community runbooks */
  readonly runbookBaseUrl?: string;
  /** A node not Ready. @default - for 10m, critical */
  readonly nodeNotReady?: AlertOptions;
}

/**
 * The cluster-wide part of the documented alert baseline, as a `PrometheusRule` (group
 * `cluster.rules`): `KubeNodeNotReady` when a node's Ready condition has not been true for
 * 10 minutes (kube-state-metrics `kube_node_status_condition`). Add your own with `addAlert`.
 */
export class ClusterAlertRules extends AlertRules {
  constructor(scope: Construct, id: string, props: ClusterAlertRulesProps = {}) {
    super(scope, id, { name: props.name ?? 'cluster-alerts', namespace: props.namespace, labels: props.labels });
    if (props.runbookBaseUrl !== undefined) validateRunbookUrl(this, "'runbookBaseUrl'", props.runbookBaseUrl);
    const node = props.nodeNotReady;
    if (node?.enabled !== false) {
      const forDuration = resolvePrometheusDuration(this, "'nodeNotReady.for'", node?.for ?? '10m', true);
      this.addAlert({
        alert: 'KubeNodeNotReady',
        expr: `${series('kube_node_status_condition', [matcher('condition', 'Ready'), matcher('status', 'true')])} == 0`,
        for: forDuration,
        severity: node?.severity ?? 'critical',
        summary: 'Node {{ $labels.node }} is not Ready.',
        description: `Node {{ $labels.node }} has not been Ready for ${forDuration}: its pods are being evicted and new ones cannot land there. Check the kubelet, the container runtime and node pressure conditions.`,
        runbookUrl: node?.runbookUrl ?? defaultRunbookUrl('KubeNodeNotReady', props.runbookBaseUrl),
        labels: node?.labels,
      }, 'cluster.rules');
    }
  }
}
