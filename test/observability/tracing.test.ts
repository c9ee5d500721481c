import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { addTracing, allowTracingEgress, tracingEnv, TracingOptions } from '../../lib/observability';
import { SecureDeployment } from '../../lib/workload';

function envOf(options: TracingOptions): any[] {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'api', { containers: [{ image: 'registry.example.com/api:1.0.0', portNumber: 8080 }] });
  addTracing(deployment, deployment.containers[0], options);
  const [object] = Testing.synth(chart).filter((o: any) => o.kind === 'Deployment');
  return object.spec.template.spec.containers[0].env;
}

function value(env: any[], name: string): any {
  return env.find((e) => e.name === name);
}

describe('tracing wiring', () => {
  test('Jaeger: the agent host is the node IP from the downward API', () => {
    const env = envOf({ kind: 'jaeger-agent', serviceName: 'api' });
    expect(value(env, 'JAEGER_AGENT_HOST')).toEqual({ name: 'JAEGER_AGENT_HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } });
    expect(value(env, 'JAEGER_AGENT_PORT').value).toBe('6831');
    expect(value(env, 'JAEGER_SERVICE_NAME').value).toBe('api');
    expect(value(env, 'JAEGER_SAMPLER_TYPE').value).toBe('const');
  });

  test('Jaeger: probabilistic sampling below ratio 1', () => {
    const env = envOf({ kind: 'jaeger-agent', serviceName: 'api', samplingRatio: 0.1, agentPort: 6832 });
    expect(value(env, 'JAEGER_SAMPLER_TYPE').value).toBe('probabilistic');
    expect(value(env, 'JAEGER_SAMPLER_PARAM').value).toBe('0.1');
    expect(value(env, 'JAEGER_AGENT_PORT').value).toBe('6832');
  });

  test('OpenTelemetry: endpoint and service name, with pod resource attributes', () => {
    const env = envOf({ kind: 'otlp', serviceName: 'api', endpoint: 'http://otel-collector.observability:4317', resourceAttributes: { 'service.version': '1.0.0' } });
    expect(value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT').value).toBe('http://otel-collector.observability:4317');
    expect(value(env, 'OTEL_SERVICE_NAME').value).toBe('api');
    expect(value(env, 'OTEL_EXPORTER_OTLP_PROTOCOL').value).toBe('grpc');
    expect(value(env, 'OTEL_RESOURCE_ATTRIBUTES').value).toBe('k8s.pod.name=$(POD_NAME),k8s.namespace.name=$(POD_NAMESPACE),k8s.node.name=$(NODE_NAME),service.version=1.0.0');
  });

  test('OpenTelemetry: defaults to the collector on the node, defined after HOST_IP', () => {
    const env = envOf({ kind: 'otlp', serviceName: 'api', protocol: 'http/protobuf', samplingRatio: 0.25 });
    const names = env.map((e) => e.name);
    expect(value(env, 'OTEL_EXPORTER_OTLP_ENDPOINT').value).toBe('http://$(HOST_IP):4318');
    expect(value(env, 'HOST_IP').valueFrom.fieldRef.fieldPath).toBe('status.hostIP');
    expect(names.indexOf('HOST_IP')).toBeLessThan(names.indexOf('OTEL_EXPORTER_OTLP_ENDPOINT'));
    expect(names.indexOf('POD_NAME')).toBeLessThan(names.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
    expect(value(env, 'OTEL_TRACES_SAMPLER').value).toBe('parentbased_traceidratio');
    expect(value(env, 'OTEL_TRACES_SAMPLER_ARG').value).toBe('0.25');
  });

  test('returns the variables without touching a container', () => {
    const chart = Testing.chart();
    expect(Object.keys(tracingEnv(chart, { kind: 'jaeger-agent', serviceName: 'api' }))).toEqual([
      'JAEGER_AGENT_HOST', 'JAEGER_AGENT_PORT', 'JAEGER_SERVICE_NAME', 'JAEGER_SAMPLER_TYPE', 'JAEGER_SAMPLER_PARAM',
    ]);
  });

  test.each(['otel-collector:4317', 'grpc://collector:4317', 'http://', 'ftp://collector'])('throws on the endpoint %p', (endpoint) => {
    expect(() => tracingEnv(Testing.chart(), { kind: 'otlp', serviceName: 'api', endpoint }))
      .toThrow(/tracing 'endpoint' .* is not an http\(s\) URL: give the collector's address with its scheme/);
  });

  test('throws on credentials in the endpoint', () => {
    expect(() => tracingEnv(Testing.chart(), { kind: 'otlp', serviceName: 'api', endpoint: 'https://user:pw@collector:4318' }))
      .toThrow(/must not carry credentials, a query or a fragment/);
  });

  test('throws on bad service names, ratios, ports and attributes', () => {
    const chart = Testing.chart();
    expect(() => tracingEnv(chart, { kind: 'otlp', serviceName: 'my api' })).toThrow(/Chart 'test': tracing 'serviceName' 'my api' is not a usable service name/);
    expect(() => tracingEnv(chart, { kind: 'jaeger-agent', serviceName: 'api', samplingRatio: 2 })).toThrow(/tracing 'samplingRatio' 2 is not allowed: use a fraction from 0 to 1/);
    expect(() => tracingEnv(chart, { kind: 'jaeger-agent', serviceName: 'api', agentPort: 0 })).toThrow(/tracing 'agentPort' 0 is not a valid port number/);
    expect(() => tracingEnv(chart, { kind: 'otlp', serviceName: 'api', resourceAttributes: { team: 'a,b' } })).toThrow(/tracing resource attribute 'team'='a,b' cannot be encoded/);
  });
});

describe('allowTracingEgress (issue 14: the tracing flow under default-deny)', () => {
  function egress(options: TracingOptions, peer: Parameters<typeof allowTracingEgress>[2]) {
    const chart = Testing.chart();
    (chart as any).namespace = 'production';
    const api = new SecureDeployment(chart, 'api', { image: 'myregistry.com/api:v1.0.0' });
    const opened = allowTracingEgress(api, options, peer);
    return { opened, egress: Testing.synth(chart).find((o: any) => o.kind === 'NetworkPolicy').spec.egress };
  }

  test('the Jaeger agent on UDP 6831 of the node CIDR; an OTLP collector on its endpoint port', () => {
    expect(egress({ kind: 'jaeger-agent', serviceName: 'api' }, { cidr: '10.0.0.0/16' })).toEqual({
      opened: { port: 6831, protocol: 'UDP' },
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ port: 6831, protocol: 'UDP' }] }],
    });
    expect(egress({ kind: 'otlp', serviceName: 'api', endpoint: 'http://otel-collector.observability:4317' }, { namespace: 'observability', podLabels: { app: 'otel-collector' } }).egress).toEqual([{
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } }, podSelector: { matchLabels: { app: 'otel-collector' } } }],
      ports: [{ port: 4317, protocol: 'TCP' }],
    }]);
  });
});
