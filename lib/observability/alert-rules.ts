import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { PrometheusRule, PrometheusRuleSpecGroupsRulesExpr } from '../../imports/prometheus-prometheusrules-monitoring.coreos.com';
import { fail, show } from '../common/errors';
import { MANAGED_BY } from '../common/labels';
import { validateDns1123Label, validateDns1123Subdomain, validateLabels } from '../common/validation';
import { PrometheusDuration, resolvePrometheusDuration } from './prometheus-duration';
import { isMetricName } from './promql';
import { validatePromql } from './promql-check';
import { validateRunbookUrl } from './runbooks';

/** How urgently an alert needs a human. */
export type AlertSeverity = 'critical' | 'warning' | 'info';

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];

/** One alerting rule, as {@link AlertRules.addAlert} takes it. */
export interface AlertRule {
  /** The alert name, a valid Prometheus metric name in PascalCase (e.g. `WorkloadCpuSaturation`). */
  readonly alert: string;
  /** The PromQL expression; every series it returns is a firing alert. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires. @default '0s' - fires on the first evaluation */
  readonly for?: PrometheusDuration;
  /** The `severity` label. */
  readonly severity: AlertSeverity;
  /** The `summary` annotation: one line, may use `{{ $labels.x }}` templates. */
  readonly summary: string;
  /** The `description` annotation: what is happening and its impact. */
  readonly description: string;
  /** The `runbook_url` annotation: an http(s) URL of what to do. */
  readonly runbookUrl: string;
  /** More labels for routing in Alertmanager. @default - only `severity` */
  readonly labels?: Record<string, string>;
}

/** Props of {@link AlertRules}. */
export interface AlertRulesProps {
  /** The name of the `PrometheusRule` object. */
  readonly name: string;
  /** Its namespace. @default - the chart's namespace */
  readonly namespace?: string;
  /**
   * Labels on the `PrometheusRule`, for the Prometheus `ruleSelector`
   * (e.g. `{ release: 'kube-prometheus-stack' }`).
   * @default - only `app.kubernetes.io/managed-by`
   */
  readonly labels?: Record<string, string>;
}

interface RenderedRule {
  readonly alert: string;
  readonly expr: PrometheusRuleSpecGroupsRulesExpr;
  readonly for?: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/**
 * A prometheus-operator `PrometheusRule` holding alerting rules in named groups. Each rule is
 * checked as it is added: a valid alert name (unique within its group), a Prometheus `for`
 * duration, a known severity, and an http(s) runbook URL; every rule carries `severity`,
 * `summary`, `description` and `runbook_url`. {@link WorkloadAlertRules} and
 * {@link ClusterAlertRules} fill one with the documented baseline.
 */
export class AlertRules extends Construct {
  /** The name of the `PrometheusRule` object. */
  public readonly name: string;
  private readonly groups = new Map<string, RenderedRule[]>();

  constructor(scope: Construct, id: string, props: AlertRulesProps) {
    super(scope, id);
    validateDns1123Subdomain(this, "'name'", props.name);
    if (props.namespace !== undefined) validateDns1123Label(this, "'namespace'", props.namespace);
    if (props.labels) validateLabels(this, "'labels'", props.labels);
    this.name = props.name;
    const labels = Object.entries({ 'app.kubernetes.io/managed-by': MANAGED_BY, ...props.labels }).sort(([a], [b]) => a.localeCompare(b));
    new PrometheusRule(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: Object.fromEntries(labels) },
      spec: {
        groups: Lazy.any({
          produce: () => [...this.groups.entries()].map(([name, rules]) => ({ name, rules })),
        }),
      },
    });
  }

  /** Every alert added so far, in order, as `{ group, alert, expr }`: what tests and reports read. */
  public get alerts(): readonly { readonly group: string; readonly alert: string; readonly expr: string; readonly for?: string }[] {
    return [...this.groups.entries()].flatMap(([group, rules]) =>
      rules.map((r) => ({ group, alert: r.alert, expr: String(r.expr.value), for: r.for })));
  }

  /** Adds `rule` to the rule group `group` (created on first use) and returns its alert name. */
  public addAlert(rule: AlertRule, group = 'alerts'): string {
    if (!isMetricName(rule.alert)) {
      fail(this, `alert name ${show(rule.alert)} is not valid: use letters, digits, '_' and ':', not starting with a digit (e.g. 'WorkloadCpuSaturation').`);
    }
    if (group.trim() === '') fail(this, `the group of alert ${show(rule.alert)} is empty: name the rule group (e.g. 'user-service.rules').`);
    const rules = this.groups.get(group) ?? [];
    if (rules.some((r) => r.alert === rule.alert)) {
      fail(this, `alert ${show(rule.alert)} is already in group ${show(group)}: give each alert of a group its own name.`);
    }
    if (rule.expr.trim() === '') fail(this, `alert ${show(rule.alert)} has an empty expression: give the PromQL that selects the failing series.`);
    validatePromql(this, `alert ${show(rule.alert)} 'expr'`, rule.expr);
    if (!SEVERITIES.includes(rule.severity)) {
      fail(this, `alert ${show(rule.alert)} has severity ${show(rule.severity)}: use one of ${SEVERITIES.map((s) => show(s)).join(', ')}.`);
    }
    for (const [what, text] of [['summary', rule.summary], ['description', rule.description]] as const) {
      if (text.trim() === '') fail(this, `alert ${show(rule.alert)} has an empty ${what}: say what is wrong so the person paged can act.`);
    }
    validateRunbookUrl(this, `alert ${show(rule.alert)} 'runbookUrl'`, rule.runbookUrl);
    if (rule.labels) validateLabels(this, `alert ${show(rule.alert)} 'labels'`, rule.labels);
    const labels = Object.entries({ ...rule.labels, severity: rule.severity }).sort(([a], [b]) => a.localeCompare(b));
    rules.push({
      alert: rule.alert,
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr),
      for: rule.for === undefined ? undefined : resolvePrometheusDuration(this, `alert ${show(rule.alert)} 'for'`, rule.for, true),
      labels: Object.fromEntries(labels),
      annotations: { description: rule.description, runbook_url: rule.runbookUrl, summary: rule.summary },
    });
    this.groups.set(group, rules);
    return rule.alert;
  }
}
