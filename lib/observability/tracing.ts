import { EnvFieldPaths, EnvValue } from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { validatePortNumber } from '../common/validation';
import { NamespacePeer } from '../network/implied-flows';
import { WorkloadNetworkPolicy } from '../network/workload-network-policy';
import { IWorkload } from '../workload/workload';

/** Send spans to the Jaeger agent running on every node (a DaemonSet with a hostPort). */
export interface JaegerAgentTracing {
  readonly kind: 'jaeger-agent';
  /** The service name spans are reported under. */
  readonly serviceName: string;
  /** The agent's UDP port for compact thrift. @default 6831 */
  readonly agentPort?: number;
  /** The fraction of traces to sample, from 0 to 1. @default 1 - every trace (`const` sampler) */
  readonly samplingRatio?: number;
}

/** Send spans to an OpenTelemetry collector over OTLP. */
export interface OpenTelemetryTracing {
  readonly kind: 'otlp';
  /** The service name (`OTEL_SERVICE_NAME`). */
  readonly serviceName: string;
  /**
   * The collector's URL (`OTEL_EXPORTER_OTLP_ENDPOINT`), e.g. `http://otel-collector.observability:4317`.
   * @default - the collector on the pod's node: `http://$(HOST_IP):4317` (or `:4318` for `http/protobuf`)
   */
  readonly endpoint?: string;
  /** The OTLP transport. @default 'grpc' */
  readonly protocol?: 'grpc' | 'http/protobuf';
  /** The fraction of traces to sample, from 0 to 1 (parent-based). @default 1 */
  readonly samplingRatio?: number;
  /** More resource attributes (`OTEL_RESOURCE_ATTRIBUTES`), besides the pod, namespace and node. @default - none */
  readonly resourceAttributes?: Record<string, string>;
}

/** How a workload exports traces. */
export type TracingOptions = JaegerAgentTracing | OpenTelemetryTracing;

/**
 * The environment variables that wire a container's tracing SDK, in the order Kubernetes
 * needs them (a `$(VAR)` reference only sees variables defined before it). The node's address
 * comes from the downward API (`status.hostIP`), so the agent or collector on the pod's own node
 * receives the spans. `scope` is the construct errors are reported against.
 */
export function tracingEnv(scope: IConstruct, options: TracingOptions): Record<string, EnvValue> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(options.serviceName)) {
    fail(scope, `tracing 'serviceName' ${show(options.serviceName)} is not a usable service name: use letters, digits, '.', '_' and '-' (e.g. 'user-service').`);
  }
  const ratio = options.samplingRatio ?? 1;
  if (!(ratio >= 0 && ratio <= 1)) {
    fail(scope, `tracing 'samplingRatio' ${show(ratio)} is not allowed: use a fraction from 0 to 1 (e.g. 0.1 to keep one trace in ten).`);
  }
  const hostIp = EnvValue.fromFieldRef(EnvFieldPaths.NODE_IP);
  if (options.kind === 'jaeger-agent') {
    const port = options.agentPort ?? 6831;
    validatePortNumber(scope, "tracing 'agentPort'", port);
    return {
      JAEGER_AGENT_HOST: hostIp,
      JAEGER_AGENT_PORT: EnvValue.fromValue(String(port)),
      JAEGER_SERVICE_NAME: EnvValue.fromValue(options.serviceName),
      JAEGER_SAMPLER_TYPE: EnvValue.fromValue(ratio === 1 ? 'const' : 'probabilistic'),
      JAEGER_SAMPLER_PARAM: EnvValue.fromValue(ratio === 1 ? '1' : String(ratio)),
    };
  }
  const protocol = options.protocol ?? 'grpc';
  const endpoint = options.endpoint ?? `http://$(HOST_IP):${protocol === 'grpc' ? 4317 : 4318}`;
  if (options.endpoint !== undefined) validateEndpoint(scope, options.endpoint);
  const attributes = Object.entries(options.resourceAttributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [key, value] of attributes) {
    if (!/^[A-Za-z0-9._-]+$/.test(key) || /[,=\s]/.test(value) || value === '') {
      fail(scope, `tracing resource attribute ${show(key)}=${show(value)} cannot be encoded in OTEL_RESOURCE_ATTRIBUTES: use keys of letters, digits, '.', '_', '-' and non-empty values without ',', '=' or spaces.`);
    }
  }
  return {
    HOST_IP: hostIp,
    POD_NAME: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAME),
    POD_NAMESPACE: EnvValue.fromFieldRef(EnvFieldPaths.POD_NAMESPACE),
    NODE_NAME: EnvValue.fromFieldRef(EnvFieldPaths.NODE_NAME),
    OTEL_SERVICE_NAME: EnvValue.fromValue(options.serviceName),
    OTEL_EXPORTER_OTLP_ENDPOINT: EnvValue.fromValue(endpoint),
    OTEL_EXPORTER_OTLP_PROTOCOL: EnvValue.fromValue(protocol),
    OTEL_TRACES_SAMPLER: EnvValue.fromValue(ratio === 1 ? 'parentbased_always_on' : 'parentbased_traceidratio'),
    ...(ratio === 1 ? {} : { OTEL_TRACES_SAMPLER_ARG: EnvValue.fromValue(String(ratio)) }),
    OTEL_RESOURCE_ATTRIBUTES: EnvValue.fromValue([
      'k8s.pod.name=$(POD_NAME)', 'k8s.namespace.name=$(POD_NAMESPACE)', 'k8s.node.name=$(NODE_NAME)',
      ...attributes.map(([k, v]) => `${k}=${v}`),
    ].join(',')),
  };
}

/** Adds the {@link tracingEnv} variables to `container` (anything with a cdk8s-plus `env`). */
export function addTracing(
  scope: IConstruct, container: { readonly env: { addVariable(name: string, value: EnvValue): void } }, options: TracingOptions,
): void {
  for (const [name, value] of Object.entries(tracingEnv(scope, options))) container.env.addVariable(name, value);
}

/**
 * Opens the flow from `workload`'s pods to where {@link tracingEnv} sends spans, for a workload
 * isolated by NetworkPolicy: the Jaeger agent (UDP `agentPort`, on the node: give the node CIDR, or
 * the agent DaemonSet's namespace and labels) or the OTLP collector (TCP, the endpoint's port, or
 * 4317/4318 on the node). Returns the port opened.
 */
export function allowTracingEgress(workload: IWorkload, options: TracingOptions, peer: { readonly cidr: string } | NamespacePeer): { port: number; protocol: 'TCP' | 'UDP' } {
  const policy = WorkloadNetworkPolicy.of(workload);
  let port: number;
  let protocol: 'TCP' | 'UDP';
  if (options.kind === 'jaeger-agent') {
    port = options.agentPort ?? 6831;
    protocol = 'UDP';
  } else {
    const protocolName = options.protocol ?? 'grpc';
    port = protocolName === 'grpc' ? 4317 : 4318;
    if (options.endpoint !== undefined) {
      validateEndpoint(policy, options.endpoint);
      const url = new URL(options.endpoint);
      port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    }
    protocol = 'TCP';
  }
  validatePortNumber(policy, 'tracing port', port);
  if ('cidr' in peer) policy.allowToCidr(peer.cidr, { ports: [port], protocol });
  else policy.allowToNamespace(peer.namespace, { ports: [port], protocol, podSelector: peer.podLabels });
  return { port, protocol };
}

function validateEndpoint(scope: IConstruct, endpoint: string): void {
  let url: URL | undefined;
  try {
    url = new URL(endpoint);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    fail(scope, `tracing 'endpoint' ${show(endpoint)} is not an http(s) URL: give the collector's address with its scheme (e.g. 'http://otel-collector.observability:4317').`);
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail(scope, `tracing 'endpoint' ${show(endpoint)} must not carry credentials, a query or a fragment: pass only scheme, host, port and path; put headers in OTEL_EXPORTER_OTLP_HEADERS from a Secret.`);
  }
}
