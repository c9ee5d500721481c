import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parsePrometheusDuration, PrometheusDuration, resolvePrometheusDuration } from './prometheus-duration';
import { PodMonitor, PodMonitorSpecPodMetricsEndpointsScheme } from '../../imports/prometheus-podmonitors-monitoring.coreos.com';
import { ServiceMonitor, ServiceMonitorSpecEndpointsScheme } from '../../imports/prometheus-servicemonitors-monitoring.coreos.com';
import { fail, show } from '../common/errors';
import { MANAGED_BY } from '../common/labels';
import { validateDns1123Label, validateLabels } from '../common/validation';
import { DEFAULT_PROMETHEUS, NamespacePeer, openImpliedIngress } from '../network/implied-flows';
import { IWorkload, WorkloadPort } from '../workload/workload';

/** Where and how often Prometheus scrapes a workload. */
export interface MetricsEndpointOptions {
  /** The port serving metrics, by name or number; it must be one of the workload's ports. @default - the workload's declared metrics port (`SecureDeployment` `metrics.port`), else its first port */
  readonly port?: string | number;
  /** The HTTP path of the metrics. @default - the workload's declared metrics path, else '/metrics' */
  readonly path?: string;
  /** How often to scrape. @default - the workload's declared metrics interval, else '30s' */
  readonly interval?: PrometheusDuration;
  /** How long a scrape may take; at most `interval`. @default - Prometheus' global scrape timeout, capped at `interval` */
  readonly scrapeTimeout?: PrometheusDuration;
  /** The scheme. @default 'http' */
  readonly scheme?: 'http' | 'https';
}

/** A workload that declares where it serves metrics, as `SecureDeployment` does with `metrics`. */
interface DeclaresMetrics {
  readonly metrics?: { readonly port?: WorkloadPort; readonly path?: string; readonly interval?: PrometheusDuration };
}

/** Props of {@link WorkloadMonitor}. */
export interface WorkloadMonitorProps extends MetricsEndpointOptions {
  /** The workload to scrape. */
  readonly workload: IWorkload;
  /**
   * Labels on the monitor object itself, for the Prometheus `serviceMonitorSelector` /
   * `podMonitorSelector` (e.g. `{ release: 'kube-prometheus-stack' }`).
   * @default - only `app` and `app.kubernetes.io/managed-by`
   */
  readonly labels?: Record<string, string>;
  /**
   * Scrape the pods directly with a `PodMonitor` even when the workload has a Service.
   * @default false - a `ServiceMonitor` when the workload has a Service, else a `PodMonitor`
   */
  readonly podMonitor?: boolean;
  /**
   * Where Prometheus runs. Under default-deny the monitor opens the flow from it to the metrics
   * port when the workload is isolated at that point (see `isIsolated`); the whole-app wiring check
   * reports it otherwise. `false` opens nothing.
   * @default DEFAULT_PROMETHEUS - pods `app.kubernetes.io/name=prometheus` of namespace `monitoring`
   */
  readonly prometheus?: NamespacePeer | false;
}

/** The kind of prometheus-operator object a {@link WorkloadMonitor} emitted. */
export type MonitorKind = 'ServiceMonitor' | 'PodMonitor';

/**
 * Tells the prometheus-operator to scrape a workload: a `ServiceMonitor` selecting the workload's
 * Service (by its stable `selectorLabels`, in its namespace) on the named metrics port, or a
 * `PodMonitor` selecting its pods when the workload has no Service. The port must be one the
 * workload declares, and durations must be valid Prometheus durations with
 * `scrapeTimeout <= interval`, so a typo fails at synth instead of as a silently absent target.
 */
export class WorkloadMonitor extends Construct {
  /** The kind of object emitted. */
  public readonly kind: MonitorKind;
  /** The name of the emitted object (the workload's name). */
  public readonly name: string;
  /** The scraped port. */
  public readonly port: WorkloadPort;
  /** The scraped path. */
  public readonly path: string;
  /** The scrape interval, in Prometheus syntax. */
  public readonly interval: string;
  /** The scrape timeout, when set. */
  public readonly scrapeTimeout?: string;
  /** The labels the monitor selects Services or pods by. */
  public readonly selector: Record<string, string>;

  constructor(scope: Construct, id: string, props: WorkloadMonitorProps) {
    super(scope, id);
    const workload = props.workload;
    const declared = (workload as DeclaresMetrics).metrics;
    this.name = workload.name;
    this.port = this.resolvePort(workload, props.port ?? declared?.port?.name);
    this.path = props.path ?? declared?.path ?? '/metrics';
    if (!this.path.startsWith('/') || /\s/.test(this.path)) {
      fail(this, `'path' ${show(this.path)} is not an HTTP path: start it with '/' and leave out spaces (e.g. '/metrics').`);
    }
    this.interval = resolvePrometheusDuration(this, "'interval'", props.interval ?? declared?.interval ?? '30s');
    if (props.scrapeTimeout !== undefined) {
      this.scrapeTimeout = resolvePrometheusDuration(this, "'scrapeTimeout'", props.scrapeTimeout);
      if (parsePrometheusDuration(this.scrapeTimeout)! > parsePrometheusDuration(this.interval)!) {
        fail(this, `'scrapeTimeout' (${this.scrapeTimeout}) must not be longer than 'interval' (${this.interval}); the operator rejects such a monitor. Shorten the timeout or lengthen the interval.`);
      }
    }
    if (props.labels) validateLabels(this, "'labels'", props.labels);
    this.selector = { ...workload.selectorLabels };
    this.kind = workload.serviceName !== undefined && !(props.podMonitor ?? false) ? 'ServiceMonitor' : 'PodMonitor';

    const metadata = {
      name: this.name,
      namespace: workload.namespace,
      labels: sorted({ 'app': workload.name, 'app.kubernetes.io/managed-by': MANAGED_BY, ...props.labels }),
    };
    const namespaceSelector = workload.namespace !== undefined ? { matchNames: [workload.namespace] } : undefined;
    const endpoint = {
      port: this.port.name,
      path: this.path,
      interval: this.interval,
      scrapeTimeout: this.scrapeTimeout,
    };
    const https = props.scheme === 'https';
    const prometheus = props.prometheus === false ? undefined : props.prometheus ?? DEFAULT_PROMETHEUS;
    if (prometheus !== undefined) {
      validateDns1123Label(this, "'prometheus.namespace'", prometheus.namespace);
      if (prometheus.podLabels !== undefined) validateLabels(this, "'prometheus.podLabels'", prometheus.podLabels);
      openImpliedIngress(workload, prometheus, this.port.name);
    }
    if (this.kind === 'ServiceMonitor') {
      new ServiceMonitor(this, 'Resource', {
        metadata,
        spec: {
          selector: { matchLabels: this.selector }, namespaceSelector,
          endpoints: [{ ...endpoint, scheme: https ? ServiceMonitorSpecEndpointsScheme.HTTPS : undefined }],
        },
      });
      this.node.addValidation({ validate: () => this.checkService(workload) });
    } else {
      new PodMonitor(this, 'Resource', {
        metadata,
        spec: {
          selector: { matchLabels: this.selector }, namespaceSelector,
          podMetricsEndpoints: [{ ...endpoint, scheme: https ? PodMonitorSpecPodMetricsEndpointsScheme.HTTPS : undefined }],
        },
      });
    }
  }

  private resolvePort(workload: IWorkload, requested: string | number | undefined): WorkloadPort {
    const declared = workload.ports.map((p) => `${p.name} (${p.number})`).join(', ');
    if (requested === undefined) {
      const first = workload.ports[0];
      if (!first) fail(this, `workload ${show(workload.name)} declares no ports, so there is nothing to scrape: add a metrics port to the workload.`);
      return first;
    }
    const port = workload.findPort(requested);
    if (!port) {
      fail(this, `'port' ${show(requested)} is not a port of workload ${show(workload.name)}; it declares ${declared || 'none'}. Use one of those, or add the port to the workload.`);
    }
    return port;
  }

  /**
   * When the workload exposes its Service object, checks that the selector matches its labels
   * and that it exposes the metrics port by name (a ServiceMonitor scrapes Service ports).
   */
  private checkService(workload: IWorkload): string[] {
    const service = (workload as { service?: unknown }).service;
    if (!(service instanceof ApiObject)) return [];
    const problems = Object.entries(this.selector)
      .filter(([key, value]) => service.metadata.getLabel(key) !== value)
      .map(([key, value]) => `ServiceMonitor selects ${key}=${value}, but Service ${show(service.name)} has ${key}=${show(service.metadata.getLabel(key))}: Prometheus would find no target. Label the Service with the workload's selector labels.`);
    const ports: { name?: string }[] = service.toJson().spec?.ports ?? [];
    if (!ports.some((p) => p.name === this.port.name)) {
      const exposed = ports.map((p) => p.name ?? '(unnamed)').join(', ') || 'none';
      problems.push(`ServiceMonitor scrapes port ${show(this.port.name)}, but Service ${show(service.name)} exposes ${exposed}: expose the metrics port on the Service, or scrape the pods with 'podMonitor: true'.`);
    }
    return problems;
  }
}

function sorted(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}
