import { Duration, Size, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { SecureIngress, SecureIngressProps } from '../../lib/ingress';
import { hostCovers, isIngressHost, isOrigin } from '../../lib/ingress/hosts';
import { SecureDeployment } from '../../lib/workload';
import { FakeWorkload } from '../support/fake-workload';

const A = 'nginx.ingress.kubernetes.io/';

function build(props: (chart: ReturnType<typeof Testing.chart>) => SecureIngressProps, namespace = 'production') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  const ingress = new SecureIngress(chart, 'edge', props(chart));
  const manifests = Testing.synth(chart);
  return { chart, ingress, manifests, obj: manifests.find((m) => m.kind === 'Ingress'), cm: manifests.find((m) => m.kind === 'ConfigMap') };
}

function chartWith(namespace?: string) {
  const chart = Testing.chart();
  if (namespace !== undefined) (chart as any).namespace = namespace;
  return chart;
}

const users = (chart: any) => FakeWorkload.of(chart, 'user-service');

describe('SecureIngress defaults', () => {
  const { obj, cm, ingress } = build((c) => ({ routes: [{ host: 'api.company.com', path: '/api/v1/users', backend: users(c) }] }));

  test('uses spec.ingressClassName nginx and never the deprecated class annotation', () => {
    expect(obj.spec.ingressClassName).toBe('nginx');
    expect(obj.metadata.annotations['kubernetes.io/ingress.class']).toBeUndefined();
  });

  test('asks cert-manager for a certificate from letsencrypt-prod', () => {
    expect(obj.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-prod');
  });

  test('gives every routed host a TLS entry with a derived secret name', () => {
    expect(obj.spec.tls).toEqual([{ hosts: ['api.company.com'], secretName: 'api-company-com-tls' }]);
  });

  test('forces the HTTPS redirect', () => {
    expect(obj.metadata.annotations[`${A}ssl-redirect`]).toBe('true');
    expect(obj.metadata.annotations[`${A}force-ssl-redirect`]).toBe('true');
  });

  test('limits the request body to 1 MiB', () => {
    expect(obj.metadata.annotations[`${A}proxy-body-size`]).toBe('1m');
  });

  test('sends HSTS and security headers through custom-headers, not a snippet', () => {
    expect(obj.metadata.annotations[`${A}custom-headers`]).toBe('production/edge-response-headers');
    expect(obj.metadata.annotations[`${A}configuration-snippet`]).toBeUndefined();
    expect(cm.metadata).toMatchObject({ name: 'edge-response-headers', namespace: 'production' });
    expect(cm.data).toEqual({
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
  });

  test('states which header names the controller must allow', () => {
    expect(ingress.controllerConfig).toEqual({
      'global-allowed-response-headers': 'Referrer-Policy,Strict-Transport-Security,X-Content-Type-Options,X-Frame-Options',
    });
  });

  test('routes to the workload Service by port name with pathType Prefix', () => {
    expect(obj.spec.rules).toEqual([{
      host: 'api.company.com',
      http: { paths: [{ path: '/api/v1/users', pathType: 'Prefix', backend: { service: { name: 'user-service', port: { name: 'http' } } } }] },
    }]);
  });

  test('sets no CORS, rate limit or timeout annotation unless asked', () => {
    const keys = Object.keys(obj.metadata.annotations);
    expect(keys.filter((k) => /cors|limit-|timeout/.test(k))).toEqual([]);
  });

  test('sorts annotations for deterministic output', () => {
    const keys = Object.keys(obj.metadata.annotations);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('SecureIngress options', () => {
  test('emits the real ingress-nginx rate limit annotations', () => {
    const { obj } = build((c) => ({
      routes: [{ host: 'api.company.com', backend: users(c) }],
      rateLimit: { requestsPerSecond: 10, requestsPerMinute: 300, connections: 20, burstMultiplier: 3 },
    }));
    const a = obj.metadata.annotations;
    expect(a[`${A}limit-rps`]).toBe('10');
    expect(a[`${A}limit-rpm`]).toBe('300');
    expect(a[`${A}limit-connections`]).toBe('20');
    expect(a[`${A}limit-burst-multiplier`]).toBe('3');
    expect(a[`${A}rate-limit`]).toBeUndefined();
    expect(a[`${A}rate-limit-window`]).toBeUndefined();
  });

  test('emits CORS annotations for one origin', () => {
    const { obj } = build((c) => ({
      routes: [{ host: 'api.company.com', backend: users(c) }],
      cors: { allowOrigins: ['https://app.company.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['Authorization', 'Content-Type'], allowCredentials: true, maxAge: Duration.minutes(10) },
    }));
    const a = obj.metadata.annotations;
    expect(a[`${A}enable-cors`]).toBe('true');
    expect(a[`${A}cors-allow-origin`]).toBe('https://app.company.com');
    expect(a[`${A}cors-allow-methods`]).toBe('GET, POST');
    expect(a[`${A}cors-allow-headers`]).toBe('Authorization, Content-Type');
    expect(a[`${A}cors-allow-credentials`]).toBe('true');
    expect(a[`${A}cors-max-age`]).toBe('600');
  });

  test('defaults CORS methods and credentials', () => {
    const { obj } = build((c) => ({ routes: [{ host: 'api.company.com', backend: users(c) }], cors: { allowOrigins: ['http://localhost:3000'] } }));
    expect(obj.metadata.annotations[`${A}cors-allow-methods`]).toBe('GET, PUT, POST, DELETE, PATCH, OPTIONS');
    expect(obj.metadata.annotations[`${A}cors-allow-credentials`]).toBe('false');
  });

  test('emits body size and proxy timeouts in the controller units', () => {
    const { obj } = build((c) => ({
      routes: [{ host: 'api.company.com', backend: users(c) }],
      maxBodySize: Size.mebibytes(10),
      timeouts: { connect: Duration.seconds(5), send: Duration.seconds(60), read: Duration.minutes(2) },
    }));
    const a = obj.metadata.annotations;
    expect(a[`${A}proxy-body-size`]).toBe('10m');
    expect(a[`${A}proxy-connect-timeout`]).toBe('5');
    expect(a[`${A}proxy-send-timeout`]).toBe('60');
    expect(a[`${A}proxy-read-timeout`]).toBe('120');
  });

  test('writes a body size that is not whole MiB in KiB', () => {
    const { obj } = build((c) => ({ routes: [{ host: 'a.company.com', backend: users(c) }], maxBodySize: Size.kibibytes(1536) }));
    expect(obj.metadata.annotations[`${A}proxy-body-size`]).toBe('1536k');
  });

  test('can turn the HTTPS redirect off', () => {
    const { obj } = build((c) => ({ routes: [{ host: 'a.company.com', backend: users(c) }], httpsRedirect: false }));
    expect(obj.metadata.annotations[`${A}ssl-redirect`]).toBe('false');
    expect(obj.metadata.annotations[`${A}force-ssl-redirect`]).toBe('false');
  });

  test('overrides and adds response headers, and can drop HSTS', () => {
    const { cm } = build((c) => ({
      routes: [{ host: 'a.company.com', backend: users(c) }],
      hsts: false,
      responseHeaders: { 'x-frame-options': 'SAMEORIGIN', 'Content-Security-Policy': "default-src 'self'" },
    }));
    expect(cm.data).toEqual({
      'Content-Security-Policy': "default-src 'self'",
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'X-Content-Type-Options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
    });
  });

  test('adds HSTS preload on request', () => {
    const { cm } = build((c) => ({ routes: [{ host: 'a.company.com', backend: users(c) }], hsts: { maxAge: Duration.days(730), preload: true } }));
    expect(cm.data['Strict-Transport-Security']).toBe('max-age=63072000; includeSubDomains; preload');
  });

  test('takes a ClusterIssuer object or name and a custom ingress class', () => {
    const { obj } = build((c) => ({ routes: [{ host: 'a.company.com', backend: users(c) }], clusterIssuer: { name: 'letsencrypt-staging' }, ingressClassName: 'internal' }));
    expect(obj.metadata.annotations['cert-manager.io/cluster-issuer']).toBe('letsencrypt-staging');
    expect(obj.spec.ingressClassName).toBe('internal');
  });

  test('routes an explicit service by number and groups paths per host', () => {
    const { obj } = build((c) => ({
      routes: [
        { host: 'api.company.com', path: '/api/v1/orders', backend: { serviceName: 'order-service', port: 80 } },
        { host: 'app.company.com', path: '/', pathType: 'Exact', backend: { serviceName: 'frontend', port: 'web' } },
        { host: 'api.company.com', path: '/api/v1/users', backend: users(c), port: 8080 },
      ],
    }));
    expect(obj.spec.rules.map((r: any) => [r.host, r.http.paths.map((p: any) => [p.path, p.pathType, p.backend.service])])).toEqual([
      ['api.company.com', [['/api/v1/orders', 'Prefix', { name: 'order-service', port: { number: 80 } }], ['/api/v1/users', 'Prefix', { name: 'user-service', port: { name: 'http' } }]]],
      ['app.company.com', [['/', 'Exact', { name: 'frontend', port: { name: 'web' } }]]],
    ]);
  });

  test('uses one wildcard TLS entry for several hosts', () => {
    const { obj } = build((c) => ({
      routes: [{ host: 'api.company.com', backend: users(c) }, { host: 'app.company.com', backend: users(c), path: '/x' }],
      tls: [{ hosts: ['*.company.com'] }],
    }));
    expect(obj.spec.tls).toEqual([{ hosts: ['*.company.com'], secretName: 'wildcard-company-com-tls' }]);
  });

  test('puts the ingress in the default namespace when the chart has none', () => {
    const chart = chartWith();
    new SecureIngress(chart, 'edge', { routes: [{ host: 'a.company.com', backend: users(chart) }] });
    const m = Testing.synth(chart);
    expect(m.find((o) => o.kind === 'Ingress').metadata.annotations[`${A}custom-headers`]).toBe('default/edge-response-headers');
  });

  test('adds a configuration snippet only with a reason, recorded for review', () => {
    const { obj } = build((c) => ({
      routes: [{ host: 'a.company.com', backend: users(c) }],
      unsafeConfigurationSnippet: { snippet: 'more_clear_headers Server;', reason: 'legacy clients need it' },
    }));
    expect(obj.metadata.annotations[`${A}configuration-snippet`]).toBe('more_clear_headers Server;');
    expect(obj.metadata.annotations['guardrails.cdk8s.io/snippet-reason']).toBe('legacy clients need it');
  });

  test('allowedResponseHeaders merges the header names of every SecureIngress', () => {
    const chart = chartWith('p');
    new SecureIngress(chart, 'a', { routes: [{ host: 'a.company.com', backend: users(chart) }], hsts: false });
    new SecureIngress(chart, 'b', { routes: [{ host: 'b.company.com', backend: users(chart) }], responseHeaders: { 'Content-Security-Policy': "default-src 'self'" } });
    expect(SecureIngress.allowedResponseHeaders(chart)).toBe('Content-Security-Policy,Referrer-Policy,Strict-Transport-Security,X-Content-Type-Options,X-Frame-Options');
  });

  test('addRoute grows the routes after construction', () => {
    const chart = chartWith('p');
    const ing = new SecureIngress(chart, 'edge');
    ing.addRoute({ host: 'b.company.com', backend: { serviceName: 'b', port: 80 } });
    expect(ing.hosts()).toEqual(['b.company.com']);
    expect(Testing.synth(chart).find((o) => o.kind === 'Ingress').spec.rules[0].host).toBe('b.company.com');
  });
});

describe('SecureIngress validation', () => {
  const route = (chart: any, over: object = {}) => ({ host: 'api.company.com', backend: users(chart), ...over });
  const make = (props: (c: any) => SecureIngressProps) => () => {
    const chart = chartWith('p');
    new SecureIngress(chart, 'edge', props(chart));
    Testing.synth(chart);
  };

  test.each([
    ['API.company.com'], ['api..company.com'], ['-api.company.com'], ['api.*.company.com'], ['*.com'], ['10.0.0.1'], ['api.company.com:443'], [`${'a'.repeat(64)}.company.com`],
  ])('throws for the host %s', (host) => {
    expect(make((c) => ({ routes: [route(c, { host })] }))).toThrow(/SecureIngress 'test\/edge': host '.*' is not a valid host name: use a lowercase RFC 1123 DNS name/);
  });

  test.each([['api/v1'], [''], ['/api v1'], ['/api/(.*)'], ['/static/app.js'], ['/~user']])('throws for the path %s', (path) => {
    expect(make((c) => ({ routes: [route(c, { path })] }))).toThrow(/path '.*' of host 'api.company.com' is not allowed: a path must start with '\/' and contain only letters, digits, '\/', '-' and '_', as ingress-nginx's strict path validation requires/);
  });

  test('throws for an unknown pathType', () => {
    expect(make((c) => ({ routes: [route(c, { pathType: 'ImplementationSpecific' })] }))).toThrow(/pathType 'ImplementationSpecific' of 'api.company.com\/' is not allowed: use 'Prefix' or 'Exact'/);
  });

  test('throws for a duplicate host and path', () => {
    expect(make((c) => ({ routes: [route(c, { path: '/a' }), route(c, { path: '/a', pathType: 'Exact' })] })))
      .toThrow(/host 'api.company.com' path '\/a' is routed twice: each host \+ path may appear once/);
  });

  test('throws when the workload does not expose the port', () => {
    expect(make((c) => ({ routes: [route(c, { port: 'grpc' })] })))
      .toThrow(/the backend of 'api.company.com\/', workload 'user-service', does not expose port 'grpc': its ports are http \(8080\); route to one of them/);
  });

  test('throws when a SecureDeployment declares the port but its Service does not expose it', () => {
    expect(make((c) => ({ routes: [{ host: 'a.company.com', port: 'http', backend: new SecureDeployment(c, 'api', { image: 'r.io/api:v1', ports: [{ name: 'http', number: 8080 }, { name: 'grpc', number: 8081 }], service: { ports: ['grpc'] } }) }] })))
      .toThrow(/workload 'api', declares port 'http' but its Service does not expose it \(Service ports: grpc\)/);
  });

  test('routes to a SecureDeployment by its http port', () => {
    const chart = chartWith('p');
    new SecureIngress(chart, 'edge', { routes: [{ host: 'a.company.com', backend: new SecureDeployment(chart, 'api', { image: 'r.io/api:v1' }) }] });
    const ing = Testing.synth(chart).find((o) => o.kind === 'Ingress');
    expect(ing.spec.rules[0].http.paths[0].backend).toEqual({ service: { name: 'api', port: { name: 'http' } } });
  });

  test('throws when the workload has no Service', () => {
    expect(make((c) => ({ routes: [{ host: 'a.company.com', backend: new FakeWorkload(c, 'worker', { service: false }) }] })))
      .toThrow(/workload 'worker', has no Service: give the workload a port so it gets a Service/);
  });

  test('throws when the workload port is UDP', () => {
    expect(make((c) => ({ routes: [{ host: 'a.company.com', backend: new FakeWorkload(c, 'dns', { ports: [{ name: 'dns', number: 53, protocol: 'UDP' }] }) }] })))
      .toThrow(/port 'dns' is UDP: an Ingress carries HTTP over TCP only/);
  });

  test('throws for a bad explicit service name or port', () => {
    expect(make(() => ({ routes: [{ host: 'a.company.com', backend: { serviceName: 'Orders', port: 80 } }] })))
      .toThrow(/backend service name of 'a.company.com\/' 'Orders' is not a valid DNS-1123 label/);
    expect(make(() => ({ routes: [{ host: 'a.company.com', backend: { serviceName: 'orders', port: 70000 } }] })))
      .toThrow(/backend port of 'a.company.com\/' 70000 is not a valid port number/);
    expect(make(() => ({ routes: [{ host: 'a.company.com', backend: { serviceName: 'orders', port: 'HTTP_PORT' } }] })))
      .toThrow(/backend port of 'a.company.com\/' 'HTTP_PORT' is not a valid port name/);
    expect(make(() => ({ routes: [{ host: 'a.company.com', port: 80, backend: { serviceName: 'orders', port: 80 } }] })))
      .toThrow(/sets 'port' and a \{ serviceName, port \} backend: give the port in the backend only/);
  });

  test('throws at synth when a TLS host is not routed', () => {
    expect(make((c) => ({ routes: [route(c)], tls: [{ hosts: ['api.company.com', 'admin.company.com'] }] })))
      .toThrow(/TLS host 'admin.company.com' is not routed by any rule \(hosts: 'api.company.com'\): add a route for it or remove it from 'tls'/);
  });

  test('throws at synth when a routed host has no TLS entry', () => {
    expect(make((c) => ({ routes: [route(c), route(c, { host: 'app.company.com' })], tls: [{ hosts: ['api.company.com'] }] })))
      .toThrow(/host 'app.company.com' has no TLS entry, so it would be served over plain HTTP/);
  });

  test('throws for an empty or invalid TLS entry', () => {
    expect(make((c) => ({ routes: [route(c)], tls: [{ hosts: [] }] }))).toThrow(/tls\[0\] has no hosts/);
    expect(make((c) => ({ routes: [route(c)], tls: [{ hosts: ['API'] }] }))).toThrow(/tls\[0\] host 'API' is not a valid host name/);
    expect(make((c) => ({ routes: [route(c)], tls: [{ hosts: ['api.company.com'], secretName: 'Bad_Name' }] }))).toThrow(/tls\[0\].secretName 'Bad_Name' is not a valid DNS-1123 subdomain/);
  });

  test('throws at synth when nothing is routed', () => {
    expect(make(() => ({}))).toThrow(/SecureIngress 'test\/edge' routes nothing: give 'routes' or call addRoute/);
  });

  test.each([[0], [-1], [1.5]])('throws for the rate limit %s', (rps) => {
    expect(make((c) => ({ routes: [route(c)], rateLimit: { requestsPerSecond: rps } })))
      .toThrow(/'rateLimit.requestsPerSecond' .* is not allowed: a rate limit must be a whole number greater than 0/);
  });

  test('throws for a zero burst multiplier and for a rate limit without limits', () => {
    expect(make((c) => ({ routes: [route(c)], rateLimit: { connections: 5, burstMultiplier: 0 } }))).toThrow(/'rateLimit.burstMultiplier' 0 is not allowed/);
    expect(make((c) => ({ routes: [route(c)], rateLimit: { burstMultiplier: 2 } }))).toThrow(/'rateLimit' sets no limit: give at least one of requestsPerSecond, requestsPerMinute or connections/);
  });

  test.each([['*'], ['https://app.company.com/'], ['https://app.company.com/path'], ['app.company.com'], ['ftp://app.company.com'], ['https://*.company.com'], ['https://app.company.com:99999']])(
    'throws for the CORS origin %s', (origin) => {
      expect(make((c) => ({ routes: [route(c)], cors: { allowOrigins: [origin] } }))).toThrow(/CORS origin '.*' is not an origin: use scheme:\/\/host\[:port\]/);
    });

  test('throws for empty CORS origins, a bad method or header', () => {
    expect(make((c) => ({ routes: [route(c)], cors: { allowOrigins: [] } }))).toThrow(/'cors.allowOrigins' is empty/);
    expect(make((c) => ({ routes: [route(c)], cors: { allowOrigins: ['https://a.b'], allowMethods: ['get'] } }))).toThrow(/CORS method 'get' is not an HTTP method/);
    expect(make((c) => ({ routes: [route(c)], cors: { allowOrigins: ['https://a.b'], allowHeaders: ['X Bad'] } }))).toThrow(/CORS header 'X Bad' is not a header name/);
  });

  test('throws for bad response headers', () => {
    expect(make((c) => ({ routes: [route(c)], responseHeaders: { 'X:Bad': 'v' } }))).toThrow(/response header name 'X:Bad' is not allowed/);
    expect(make((c) => ({ routes: [route(c)], responseHeaders: { 'X-Ok': 'a\nb' } }))).toThrow(/response header 'X-Ok' has the value "a\\nb": ingress-nginx accepts only non-empty values of ASCII letters/);
    expect(make((c) => ({ routes: [route(c)], responseHeaders: { 'X-Ok': 'é' } }))).toThrow(/response header 'X-Ok' has the value "é"/);
    expect(make((c) => ({ routes: [route(c)], responseHeaders: { 'X-Ok': '' } }))).toThrow(/response header 'X-Ok' has the value ""/);
  });

  test('throws for HSTS preload without a year and subdomains', () => {
    expect(make((c) => ({ routes: [route(c)], hsts: { maxAge: Duration.days(30), preload: true } })))
      .toThrow(/'hsts.preload' needs max-age of at least one year and includeSubdomains \(got max-age 2592000s, includeSubdomains true\)/);
  });

  test('throws for a fractional timeout and a zero body size', () => {
    expect(make((c) => ({ routes: [route(c)], timeouts: { read: Duration.millis(1500) } }))).toThrow(/'timeouts.read' \(1.5s\) is not allowed: use a whole number of seconds of at least 1/);
    expect(make((c) => ({ routes: [route(c)], maxBodySize: Size.kibibytes(0) }))).toThrow(/'maxBodySize' \(0 KiB\) is not allowed/);
  });

  test('throws for a snippet without a reason or without content', () => {
    expect(make((c) => ({ routes: [route(c)], unsafeConfigurationSnippet: { snippet: 'x;', reason: ' ' } }))).toThrow(/'unsafeConfigurationSnippet.reason' is empty: say why/);
    expect(make((c) => ({ routes: [route(c)], unsafeConfigurationSnippet: { snippet: '', reason: 'r' } }))).toThrow(/'unsafeConfigurationSnippet.snippet' is empty/);
  });

  test('throws for bad names', () => {
    expect(make((c) => ({ name: 'Edge', routes: [route(c)] }))).toThrow(/name 'Edge' is not a valid DNS-1123 subdomain/);
    expect(make((c) => ({ namespace: 'a.b', routes: [route(c)] }))).toThrow(/namespace 'a.b' is not a valid DNS-1123 label/);
    expect(make((c) => ({ clusterIssuer: 'LE', routes: [route(c)] }))).toThrow(/clusterIssuer 'LE' is not a valid DNS-1123 subdomain/);
    expect(make((c) => ({ ingressClassName: 'Nginx', routes: [route(c)] }))).toThrow(/ingressClassName 'Nginx' is not a valid DNS-1123 subdomain/);
  });
});

describe('host and origin helpers', () => {
  test('a wildcard covers exactly one label', () => {
    expect(hostCovers('*.company.com', 'api.company.com')).toBe(true);
    expect(hostCovers('*.company.com', 'a.b.company.com')).toBe(false);
    expect(hostCovers('*.company.com', 'company.com')).toBe(false);
    expect(hostCovers('api.company.com', 'api.company.com')).toBe(true);
  });

  test('any lowercase label list is a host; a star anywhere but first is not', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(fc.property(fc.array(label, { minLength: 1, maxLength: 4 }), fc.constantFrom('com', 'io', 'dev'), (labels, tld) => {
      const host = [...labels, tld].join('.');
      expect(isIngressHost(host)).toBe(true);
      expect(isIngressHost(`*.${host}`)).toBe(true);
      expect(isIngressHost(`${labels[0]}.*.${tld}`)).toBe(false);
      expect(isOrigin(`https://${host}`)).toBe(true);
      expect(isOrigin(`https://${host}/`)).toBe(false);
    }));
  });
});

describe('SecureIngress composition (issue 14)', () => {
  test('passes allow-listed annotations and refuses snippets, its own keys and the rest', () => {
    const annotated = (annotations: Record<string, string>) => build((c) => ({ routes: [{ host: 'api.company.com', backend: users(c) }], annotations }));
    const { obj } = annotated({ [`${A}backend-protocol`]: 'GRPC', 'external-dns.alpha.kubernetes.io/hostname': 'api.company.com' });
    expect(obj.metadata.annotations[`${A}backend-protocol`]).toBe('GRPC');
    expect(obj.metadata.annotations['external-dns.alpha.kubernetes.io/hostname']).toBe('api.company.com');
    expect(() => annotated({ [`${A}server-snippet`]: 'return 200;' })).toThrow(/annotation 'nginx.ingress.kubernetes.io\/server-snippet' is a snippet, which current ingress-nginx refuses/);
    expect(() => annotated({ [`${A}proxy-body-size`]: '1g' })).toThrow(/annotation 'nginx.ingress.kubernetes.io\/proxy-body-size' is set by SecureIngress itself \(to '1m'\); use the prop that sets it/);
    expect(() => annotated({ [`${A}auth-url`]: 'http://x' })).toThrow(/annotation 'nginx.ingress.kubernetes.io\/auth-url' is not on the allow-list .* one of: affinity, affinity-mode, backend-protocol/);
  });

  test('opens the controller to an isolated backend; the controller is configurable, or off', () => {
    const isolated = (ingressController?: any) => {
      const chart = chartWith('production');
      const api = new SecureDeployment(chart, 'api', { image: 'myregistry.com/api:v1.0.0' });
      api.allowFromCidr('10.0.0.0/8', { port: 'http' });
      new SecureIngress(chart, 'edge', { routes: [{ host: 'api.company.com', backend: api }], ingressController });
      return Testing.synth(chart).find((o: any) => o.kind === 'NetworkPolicy').spec.ingress;
    };
    expect(isolated()).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } }, podSelector: { matchLabels: { 'app.kubernetes.io/component': 'controller', 'app.kubernetes.io/name': 'ingress-nginx' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(isolated({ namespace: 'kube-system', podLabels: { app: 'nginx-ingress-lb' } })).toContainEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { app: 'nginx-ingress-lb' } } }],
      ports: [{ port: 8080, protocol: 'TCP' }],
    });
    expect(isolated(false)).toHaveLength(1);
    expect(() => isolated({ namespace: 'Bad NS' })).toThrow(/'ingressController.namespace'/);
  });
});
