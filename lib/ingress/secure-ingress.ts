import { ApiObject, Duration, Lazy, Size, SizeRoundingBehavior } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { fail, show } from '../common/errors';
import { resolveNamespace } from '../common/namespace';
import { isQualifiedName, validateDns1123Label, validateDns1123Subdomain, validateLabels, validatePortName, validatePortNumber } from '../common/validation';
import { DEFAULT_INGRESS_CONTROLLER, NamespacePeer, openImpliedIngress } from '../network/implied-flows';
import { IWorkload } from '../workload/workload';
import { hostCovers, isIngressHost, isOrigin } from './hosts';

/** The prefix of every ingress-nginx annotation. */
export const NGINX_ANNOTATION_PREFIX = 'nginx.ingress.kubernetes.io/';

/** The cert-manager annotation that asks for a certificate from a ClusterIssuer. */
export const CLUSTER_ISSUER_ANNOTATION = 'cert-manager.io/cluster-issuer';

/** How a path matches request paths. `ImplementationSpecific` is left out: its meaning varies. */
export type IngressPathType = 'Prefix' | 'Exact';

/** A Service given by name, for backends that are not an {@link IWorkload} of this app. */
export interface ServiceBackend {
  /** The Service name. */
  readonly serviceName: string;
  /** The Service port, by number or by name. */
  readonly port: number | string;
}

/** One host + path routed to a backend. */
export interface IngressRoute {
  /** The host name (`api.company.com`, or `*.company.com`). */
  readonly host: string;
  /** The path; starts with `/`. @default '/' */
  readonly path?: string;
  /** How `path` matches. @default 'Prefix' */
  readonly pathType?: IngressPathType;
  /** Where the requests go: a workload (its Service) or a Service by name. */
  readonly backend: IWorkload | ServiceBackend;
  /**
   * For a workload backend: the port by name or number, which the workload must expose.
   * @default - the workload's port named `http`, else its first port
   */
  readonly port?: number | string;
}

/** A TLS entry: hosts served with one certificate, stored in one Secret. */
export interface IngressTls {
  /** The hosts on the certificate; each must be routed by this Ingress. */
  readonly hosts: string[];
  /** The Secret cert-manager writes the certificate to. @default - `<first host with '.' and '*' replaced>-tls` */
  readonly secretName?: string;
}

/** HTTP Strict Transport Security, sent as a response header. */
export interface HstsOptions {
  /** How long browsers remember to use HTTPS only. @default Duration.days(365) */
  readonly maxAge?: Duration;
  /** Apply to every subdomain too. @default true */
  readonly includeSubdomains?: boolean;
  /** Ask to be put on the browsers' preload list (hard to undo). @default false */
  readonly preload?: boolean;
}

/** Cross-origin resource sharing, answered by the controller. */
export interface CorsOptions {
  /** The allowed origins, each `scheme://host[:port]` (no path, no `*`). */
  readonly allowOrigins: string[];
  /** The allowed methods. @default ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'] */
  readonly allowMethods?: string[];
  /** The allowed request headers. @default - ingress-nginx's list (DNT, User-Agent, ..., Authorization) */
  readonly allowHeaders?: string[];
  /** Let browsers send credentials (cookies, Authorization). @default false */
  readonly allowCredentials?: boolean;
  /** How long browsers may cache a preflight answer. @default - ingress-nginx's 1728000 seconds */
  readonly maxAge?: Duration;
}

/** Per-client-IP limits enforced by ingress-nginx (each controller replica counts on its own). */
export interface RateLimitOptions {
  /** Requests per second from one client IP (`limit-rps`). @default - no per-second limit */
  readonly requestsPerSecond?: number;
  /** Requests per minute from one client IP (`limit-rpm`). @default - no per-minute limit */
  readonly requestsPerMinute?: number;
  /** Concurrent connections from one client IP (`limit-connections`). @default - no connection limit */
  readonly connections?: number;
  /** Burst = limit x this multiplier (`limit-burst-multiplier`). @default - ingress-nginx's 5 */
  readonly burstMultiplier?: number;
}

/** Proxy timeouts towards the backends. */
export interface ProxyTimeouts {
  /** Time to establish a connection (`proxy-connect-timeout`). @default - ingress-nginx's 5s */
  readonly connect?: Duration;
  /** Time between two writes to the backend (`proxy-send-timeout`). @default - ingress-nginx's 60s */
  readonly send?: Duration;
  /** Time between two reads from the backend (`proxy-read-timeout`). @default - ingress-nginx's 60s */
  readonly read?: Duration;
}

/** An nginx configuration snippet: only with a reason, as snippets are an injection vector. */
export interface UnsafeConfigurationSnippet {
  /** The nginx directives for the `location` blocks of this Ingress. */
  readonly snippet: string;
  /** Why no annotation or ConfigMap setting does the job; kept as an annotation for reviewers. */
  readonly reason: string;
}

/** Props of {@link SecureIngress}. */
export interface SecureIngressProps {
  /** The Ingress name. @default - the construct id */
  readonly name?: string;
  /** The namespace. @default - the chart's namespace, else 'default' */
  readonly namespace?: string;
  /** The routes; more can be added with `addRoute`. @default [] */
  readonly routes?: IngressRoute[];
  /** The IngressClass to use (`spec.ingressClassName`). @default 'nginx' */
  readonly ingressClassName?: string;
  /**
   * The cert-manager ClusterIssuer that signs the certificates (`cert-manager.io/cluster-issuer`).
   * @default 'letsencrypt-prod'
   */
  readonly clusterIssuer?: string | { readonly name: string };
  /** The TLS entries. @default - one entry per routed host, in order of first use */
  readonly tls?: IngressTls[];
  /** Redirect HTTP to HTTPS (`ssl-redirect` and `force-ssl-redirect`). @default true */
  readonly httpsRedirect?: boolean;
  /** HSTS, or `false` to send no Strict-Transport-Security header. @default - max-age one year, includeSubDomains */
  readonly hsts?: HstsOptions | false;
  /**
   * Response headers added to (or replacing) the secure defaults: `X-Content-Type-Options: nosniff`,
   * `X-Frame-Options: DENY`, `Referrer-Policy: strict-origin-when-cross-origin`. Delivered through
   * the `custom-headers` annotation and a ConfigMap, not through a snippet.
   * @default {}
   */
  readonly responseHeaders?: Record<string, string>;
  /** CORS for the allowed origins (`enable-cors`, `cors-allow-*`). @default - CORS not enabled */
  readonly cors?: CorsOptions;
  /** The largest request body (`proxy-body-size`). @default Size.mebibytes(1) */
  readonly maxBodySize?: Size;
  /** Proxy timeouts (`proxy-connect-timeout`, `proxy-send-timeout`, `proxy-read-timeout`). @default - the controller's */
  readonly timeouts?: ProxyTimeouts;
  /** Per-client rate limits (`limit-rps`, `limit-rpm`, `limit-connections`, `limit-burst-multiplier`). @default - no limits */
  readonly rateLimit?: RateLimitOptions;
  /**
   * A `configuration-snippet`: an explicit opt-in with a reason. Current ingress-nginx refuses it
   * unless the controller sets `allow-snippet-annotations: "true"` and `annotations-risk-level: Critical`.
   * @default - no snippet
   */
  readonly unsafeConfigurationSnippet?: UnsafeConfigurationSnippet;
  /**
   * More annotations. ingress-nginx keys must be on {@link ALLOWED_NGINX_ANNOTATIONS} (snippets and
   * keys this construct sets itself are refused: use their props); other keys (external-dns,
   * cloud load balancers) pass as given. @default {}
   */
  readonly annotations?: Record<string, string>;
  /**
   * Where the ingress controller runs. Under default-deny, the Ingress opens the flow from it to
   * each workload backend that is isolated when the route is added (see `isIsolated`); the
   * whole-app wiring check reports any backend still unreachable. `false` opens nothing.
   * @default DEFAULT_INGRESS_CONTROLLER - pods `app.kubernetes.io/name=ingress-nginx, app.kubernetes.io/component=controller` of namespace `ingress-nginx`
   */
  readonly ingressController?: NamespacePeer | false;
}

/** The response headers every SecureIngress sends unless overridden. */
export const DEFAULT_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
};

/**
 * The ingress-nginx annotations `SecureIngress` passes through `annotations`: behaviour that does
 * not weaken TLS, headers or request checks and cannot inject configuration.
 */
export const ALLOWED_NGINX_ANNOTATIONS: readonly string[] = [
  'affinity', 'affinity-mode', 'backend-protocol', 'client-body-buffer-size', 'denylist-source-range', 'enable-access-log',
  'load-balance', 'proxy-buffer-size', 'proxy-buffering', 'proxy-buffers-number', 'proxy-next-upstream', 'proxy-next-upstream-timeout',
  'proxy-next-upstream-tries', 'proxy-request-buffering', 'service-upstream', 'session-cookie-expires', 'session-cookie-max-age',
  'session-cookie-name', 'session-cookie-path', 'session-cookie-samesite', 'upstream-hash-by', 'upstream-vhost', 'whitelist-source-range',
].map((key) => NGINX_ANNOTATION_PREFIX + key);

const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
// The characters ingress-nginx accepts in a custom-headers value; any other makes it deny the location.
const HEADER_VALUE = /^[a-zA-Z\d_ :;.,\\/"'?!(){}[\]@<>=\-+*#$&`|~^%]+$/;
// ingress-nginx's strict-validate-path-type (on by default since 1.12) admits only these in Prefix/Exact paths.
const PATH = /^\/[A-Za-z0-9_\-/]*$/;
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE'];

interface ResolvedRoute {
  readonly host: string;
  readonly path: string;
  readonly pathType: IngressPathType;
  readonly serviceName: string;
  readonly port: number | string;
}

/**
 * An ingress-nginx `networking.k8s.io/v1` Ingress with edge protection on by default:
 * TLS for every routed host from a cert-manager ClusterIssuer, HTTP to HTTPS redirect, HSTS and
 * security response headers (through a `custom-headers` ConfigMap, never a snippet), a 1 MiB body
 * limit, and `spec.ingressClassName` (never the deprecated class annotation). Optional CORS for
 * real origins, proxy timeouts and per-client rate limits use the controller's real annotations.
 *
 * The controller must allow the header names: add {@link SecureIngress.controllerConfig} to the
 * ingress-nginx controller ConfigMap (`global-allowed-response-headers`), or requests get a 503.
 */
export class SecureIngress extends Construct {
  /**
   * The `global-allowed-response-headers` value that lets every SecureIngress under `scope` send
   * its headers: the union of their header names, sorted. Put it in the ingress-nginx controller
   * ConfigMap (Helm: `controller.config`).
   */
  public static allowedResponseHeaders(scope: IConstruct): string {
    const names = new Set<string>();
    for (const c of scope.node.findAll()) {
      if (c instanceof SecureIngress) Object.keys(c.responseHeaders).forEach((n) => names.add(n));
    }
    return [...names].sort().join(',');
  }

  /** The Ingress name. */
  public readonly name: string;
  /** The namespace of the Ingress and its headers ConfigMap. */
  public readonly namespace: string;
  /** The IngressClass used. */
  public readonly ingressClassName: string;
  /** The ClusterIssuer name. */
  public readonly clusterIssuerName: string;
  /** The response headers sent (name to value), sorted by name. */
  public readonly responseHeaders: Readonly<Record<string, string>>;
  /** The annotations of the Ingress, sorted by key. */
  public readonly annotations: Readonly<Record<string, string>>;
  /**
   * Keys the ingress-nginx controller ConfigMap needs for this Ingress to work: the header names
   * in `global-allowed-response-headers` (merge with the other Ingresses' lists).
   */
  public readonly controllerConfig: Readonly<Record<string, string>>;
  /** The Ingress object. */
  public readonly ingress: ApiObject;
  /** The ConfigMap of response headers that the `custom-headers` annotation points at. */
  public readonly headersConfigMap?: ApiObject;

  private readonly routes: ResolvedRoute[] = [];
  private readonly controller?: NamespacePeer;
  private readonly explicitTls?: IngressTls[];

  constructor(scope: Construct, id: string, props: SecureIngressProps = {}) {
    super(scope, id);
    this.name = props.name ?? id;
    validateDns1123Subdomain(this, 'name', this.name);
    this.namespace = resolveNamespace(this, props.namespace);
    this.ingressClassName = props.ingressClassName ?? 'nginx';
    validateDns1123Subdomain(this, 'ingressClassName', this.ingressClassName);
    const issuer = props.clusterIssuer ?? 'letsencrypt-prod';
    this.clusterIssuerName = typeof issuer === 'string' ? issuer : issuer.name;
    validateDns1123Subdomain(this, 'clusterIssuer', this.clusterIssuerName);

    this.controller = props.ingressController === false ? undefined : props.ingressController ?? DEFAULT_INGRESS_CONTROLLER;
    if (this.controller !== undefined) {
      validateDns1123Label(this, "'ingressController.namespace'", this.controller.namespace);
      if (this.controller.podLabels !== undefined) validateLabels(this, "'ingressController.podLabels'", this.controller.podLabels);
    }
    for (const route of props.routes ?? []) this.addRoute(route);
    if (props.tls !== undefined) {
      this.explicitTls = props.tls.map((entry, i) => this.checkTls(entry, i));
    }

    const annotations: Record<string, string> = { [CLUSTER_ISSUER_ANNOTATION]: this.clusterIssuerName };
    const nginx = (key: string, value: string): void => { annotations[NGINX_ANNOTATION_PREFIX + key] = value; };

    const redirect = props.httpsRedirect ?? true;
    nginx('ssl-redirect', String(redirect));
    nginx('force-ssl-redirect', String(redirect));
    nginx('proxy-body-size', this.bodySize(props.maxBodySize ?? Size.mebibytes(1)));

    const timeouts = props.timeouts ?? {};
    for (const [field, key] of [['connect', 'proxy-connect-timeout'], ['send', 'proxy-send-timeout'], ['read', 'proxy-read-timeout']] as const) {
      const value = timeouts[field];
      if (value !== undefined) nginx(key, String(this.wholeSeconds(`timeouts.${field}`, value)));
    }

    if (props.rateLimit !== undefined) {
      const limit = props.rateLimit;
      const given = [limit.requestsPerSecond, limit.requestsPerMinute, limit.connections].filter((v) => v !== undefined);
      if (given.length === 0) {
        fail(this, "'rateLimit' sets no limit: give at least one of requestsPerSecond, requestsPerMinute or connections (e.g. { requestsPerSecond: 10 }), or leave 'rateLimit' out.");
      }
      for (const [field, key] of [['requestsPerSecond', 'limit-rps'], ['requestsPerMinute', 'limit-rpm'], ['connections', 'limit-connections']] as const) {
        const value = limit[field];
        if (value === undefined) continue;
        this.positive(`rateLimit.${field}`, value);
        nginx(key, String(value));
      }
      if (limit.burstMultiplier !== undefined) {
        this.positive('rateLimit.burstMultiplier', limit.burstMultiplier);
        nginx('limit-burst-multiplier', String(limit.burstMultiplier));
      }
    }

    if (props.cors !== undefined) {
      for (const [key, value] of Object.entries(this.corsAnnotations(props.cors))) nginx(key, value);
    }

    this.responseHeaders = this.resolveHeaders(props.hsts, props.responseHeaders ?? {});
    const headerNames = Object.keys(this.responseHeaders);
    if (headerNames.length > 0) {
      const configMapName = `${this.name}-response-headers`;
      validateDns1123Subdomain(this, 'response headers ConfigMap name', configMapName);
      this.headersConfigMap = new k8s.KubeConfigMap(this, 'response-headers', {
        metadata: { name: configMapName, namespace: this.namespace },
        data: { ...this.responseHeaders },
      });
      nginx('custom-headers', `${this.namespace}/${configMapName}`);
    }
    this.controllerConfig = headerNames.length > 0 ? { 'global-allowed-response-headers': headerNames.join(',') } : {};

    if (props.unsafeConfigurationSnippet !== undefined) {
      const { snippet, reason } = props.unsafeConfigurationSnippet;
      if (reason.trim().length === 0) {
        fail(this, "'unsafeConfigurationSnippet.reason' is empty: say why no annotation or 'responseHeaders' entry does the job (snippets are refused by current ingress-nginx and have been an injection vector).");
      }
      if (snippet.trim().length === 0) {
        fail(this, "'unsafeConfigurationSnippet.snippet' is empty: give the nginx directives, or leave 'unsafeConfigurationSnippet' out.");
      }
      nginx('configuration-snippet', snippet);
      annotations['guardrails.cdk8s.io/snippet-reason'] = reason;
    }

    for (const [key, value] of Object.entries(props.annotations ?? {})) {
      if (!isQualifiedName(key)) fail(this, `annotation key ${show(key)} is not a valid annotation key; use an optional DNS prefix and a name (e.g. 'external-dns.alpha.kubernetes.io/hostname').`);
      if (key.endsWith('-snippet') || key.endsWith('-snippets')) {
        fail(this, `annotation ${show(key)} is a snippet, which current ingress-nginx refuses and which has been an injection vector; use the matching prop, 'responseHeaders', or 'unsafeConfigurationSnippet' with a reason.`);
      }
      if (key in annotations) fail(this, `annotation ${show(key)} is set by SecureIngress itself (to ${show(annotations[key])}); use the prop that sets it instead of 'annotations'.`);
      if (key.startsWith(NGINX_ANNOTATION_PREFIX) && !ALLOWED_NGINX_ANNOTATIONS.includes(key)) {
        fail(this, `annotation ${show(key)} is not on the allow-list of ingress-nginx annotations SecureIngress passes through; use its prop if it has one, or one of: ${ALLOWED_NGINX_ANNOTATIONS.map((k) => k.slice(NGINX_ANNOTATION_PREFIX.length)).join(', ')}.`);
      }
      annotations[key] = value;
    }
    this.annotations = sortRecord(annotations);
    this.ingress = new k8s.KubeIngress(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace, annotations: { ...this.annotations } },
      spec: {
        ingressClassName: this.ingressClassName,
        rules: Lazy.any({ produce: () => this.renderRules() }),
        tls: Lazy.any({ produce: () => this.resolvedTls().map((t) => ({ hosts: t.hosts, secretName: t.secretName })) }),
      },
    });

    this.node.addValidation({
      validate: () => {
        const errors: string[] = [];
        if (this.routes.length === 0) {
          errors.push(`SecureIngress '${this.node.path}' routes nothing: give 'routes' or call addRoute({ host, path, backend }).`);
        }
        const hosts = this.hosts();
        for (const entry of this.explicitTls ?? []) {
          for (const tlsHost of entry.hosts) {
            if (!hosts.some((h) => hostCovers(tlsHost, h))) {
              errors.push(`SecureIngress '${this.node.path}': TLS host ${show(tlsHost)} is not routed by any rule (hosts: ${hosts.map(show).join(', ') || 'none'}): add a route for it or remove it from 'tls'.`);
            }
          }
        }
        for (const host of hosts) {
          if (!this.resolvedTls().some((t) => t.hosts.some((tlsHost) => hostCovers(tlsHost, host)))) {
            errors.push(`SecureIngress '${this.node.path}': host ${show(host)} has no TLS entry, so it would be served over plain HTTP: add it to 'tls' (or leave 'tls' out to get one entry per host).`);
          }
        }
        return errors;
      },
    });
  }

  /** Routes `host` + `path` to a backend; throws on a bad host, path, port or a duplicate. */
  public addRoute(route: IngressRoute): void {
    const host = route.host;
    if (!isIngressHost(host)) {
      fail(this, `host ${show(host)} is not a valid host name: use a lowercase RFC 1123 DNS name (labels of letters, digits and '-', at most 63 characters each, 253 in all), not an IP address, with '*' only as the whole first label (e.g. 'api.company.com' or '*.company.com').`);
    }
    const path = route.path ?? '/';
    if (!PATH.test(path)) {
      fail(this, `path ${show(path)} of host ${show(host)} is not allowed: a path must start with '/' and contain only letters, digits, '/', '-' and '_', as ingress-nginx's strict path validation requires (e.g. '/api/v1/users').`);
    }
    const pathType = route.pathType ?? 'Prefix';
    if (pathType !== 'Prefix' && pathType !== 'Exact') {
      fail(this, `pathType ${show(pathType)} of ${show(host + path)} is not allowed: use 'Prefix' or 'Exact'.`);
    }
    if (this.routes.some((r) => r.host === host && r.path === path)) {
      fail(this, `host ${show(host)} path ${show(path)} is routed twice: each host + path may appear once; remove one route or change its path.`);
    }
    const { serviceName, port } = this.resolveBackend(route, host + path);
    this.routes.push({ host, path, pathType, serviceName, port });
  }

  /** The routed hosts, in order of first use. */
  public hosts(): string[] {
    return [...new Set(this.routes.map((r) => r.host))];
  }

  private resolveBackend(route: IngressRoute, where: string): { serviceName: string; port: number | string } {
    const backend = route.backend;
    if (isWorkload(backend)) {
      if (backend.serviceName === undefined) {
        fail(this, `the backend of ${show(where)}, workload ${show(backend.name)}, has no Service: give the workload a port so it gets a Service, or route to a { serviceName, port }.`);
      }
      const wanted = route.port ?? backend.findPort('http')?.name ?? backend.ports[0]?.name;
      const port = wanted === undefined ? undefined : backend.findPort(wanted);
      if (port === undefined) {
        const known = backend.ports.map((p) => `${p.name} (${p.number})`).join(', ') || 'none';
        fail(this, `the backend of ${show(where)}, workload ${show(backend.name)}, does not expose port ${show(wanted)}: its ports are ${known}; route to one of them.`);
      }
      if (port.protocol !== undefined && port.protocol !== 'TCP') {
        fail(this, `the backend of ${show(where)}, workload ${show(backend.name)}, port ${show(port.name)} is ${port.protocol}: an Ingress carries HTTP over TCP only; route to a TCP port.`);
      }
      const servicePorts = exposedServicePorts(backend);
      if (servicePorts !== undefined && !servicePorts.includes(port.name)) {
        fail(this, `the backend of ${show(where)}, workload ${show(backend.name)}, declares port ${show(port.name)} but its Service does not expose it (Service ports: ${servicePorts.join(', ') || 'none'}): add it to the Service or route to an exposed port.`);
      }
      // Under default-deny the controller must be let in; the wiring check reports it otherwise.
      if (this.controller !== undefined) openImpliedIngress(backend, this.controller, port.name);
      // The Service port is named like the container port: route by name so a renumbering follows.
      return { serviceName: backend.serviceName, port: port.name };
    }
    if (route.port !== undefined) {
      fail(this, `route ${show(where)} sets 'port' and a { serviceName, port } backend: give the port in the backend only.`);
    }
    validateDns1123Label(this, `backend service name of ${show(where)}`, backend.serviceName);
    if (typeof backend.port === 'number') validatePortNumber(this, `backend port of ${show(where)}`, backend.port);
    else validatePortName(this, `backend port of ${show(where)}`, backend.port);
    return { serviceName: backend.serviceName, port: backend.port };
  }

  private checkTls(entry: IngressTls, index: number): IngressTls {
    if (entry.hosts.length === 0) {
      fail(this, `tls[${index}] has no hosts: list the hosts its certificate covers, e.g. { hosts: ['api.company.com'] }.`);
    }
    for (const host of entry.hosts) {
      if (!isIngressHost(host)) {
        fail(this, `tls[${index}] host ${show(host)} is not a valid host name: use a lowercase RFC 1123 DNS name, with '*' only as the whole first label (e.g. 'api.company.com').`);
      }
    }
    const secretName = entry.secretName ?? tlsSecretName(entry.hosts[0]);
    validateDns1123Subdomain(this, `tls[${index}].secretName`, secretName);
    return { hosts: [...entry.hosts], secretName };
  }

  private resolvedTls(): IngressTls[] {
    return this.explicitTls ?? this.hosts().map((host) => ({ hosts: [host], secretName: tlsSecretName(host) }));
  }

  private renderRules(): unknown[] {
    return this.hosts().map((host) => ({
      host,
      http: {
        paths: this.routes.filter((r) => r.host === host).map((r) => ({
          path: r.path,
          pathType: r.pathType,
          backend: { service: { name: r.serviceName, port: typeof r.port === 'number' ? { number: r.port } : { name: r.port } } },
        })),
      },
    }));
  }

  private resolveHeaders(hsts: HstsOptions | false | undefined, extra: Record<string, string>): Record<string, string> {
    const headers: Record<string, string> = { ...DEFAULT_RESPONSE_HEADERS };
    if (hsts !== false) {
      const options = hsts ?? {};
      const maxAge = this.wholeSeconds('hsts.maxAge', options.maxAge ?? Duration.days(365), 0);
      let value = `max-age=${maxAge}`;
      if (options.includeSubdomains ?? true) value += '; includeSubDomains';
      if (options.preload ?? false) {
        if (maxAge < 31536000 || !(options.includeSubdomains ?? true)) {
          fail(this, `'hsts.preload' needs max-age of at least one year and includeSubdomains (got max-age ${maxAge}s, includeSubdomains ${options.includeSubdomains ?? true}): the browsers' preload list refuses anything less.`);
        }
        value += '; preload';
      }
      headers['Strict-Transport-Security'] = value;
    }
    for (const [name, value] of Object.entries(extra)) {
      if (!HEADER_NAME.test(name)) {
        fail(this, `response header name ${show(name)} is not allowed: use letters, digits and '-' (e.g. 'Content-Security-Policy').`);
      }
      if (!HEADER_VALUE.test(value)) {
        fail(this, `response header ${show(name)} has the value ${JSON.stringify(value)}: ingress-nginx accepts only non-empty values of ASCII letters, digits, space and the punctuation _ : ; . , \\ / " ' ? ! ( ) { } [ ] @ < > = - + * # $ & \` | ~ ^ % (no line breaks), and denies the location otherwise.`);
      }
      const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
      if (existing !== undefined) delete headers[existing];
      headers[name] = value;
    }
    return sortRecord(headers);
  }

  private corsAnnotations(cors: CorsOptions): Record<string, string> {
    if (cors.allowOrigins.length === 0) {
      fail(this, "'cors.allowOrigins' is empty: list the origins allowed to call this host (e.g. ['https://app.company.com']), or leave 'cors' out.");
    }
    for (const origin of cors.allowOrigins) {
      if (!isOrigin(origin)) {
        fail(this, `CORS origin ${show(origin)} is not an origin: use scheme://host[:port] with http or https and no path, wildcard or trailing slash (e.g. 'https://app.company.com').`);
      }
    }
    const result: Record<string, string> = {
      'enable-cors': 'true',
      'cors-allow-origin': cors.allowOrigins.join(', '),
      'cors-allow-methods': (cors.allowMethods ?? ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS']).map((m) => {
        if (!METHODS.includes(m)) {
          fail(this, `CORS method ${show(m)} is not an HTTP method: use upper case ones from ${METHODS.join(', ')}.`);
        }
        return m;
      }).join(', '),
      'cors-allow-credentials': String(cors.allowCredentials ?? false),
    };
    if (cors.allowHeaders !== undefined) {
      for (const header of cors.allowHeaders) {
        if (!HEADER_NAME.test(header)) {
          fail(this, `CORS header ${show(header)} is not a header name: use letters, digits and '-' (e.g. 'Authorization').`);
        }
      }
      result['cors-allow-headers'] = cors.allowHeaders.join(', ');
    }
    if (cors.maxAge !== undefined) result['cors-max-age'] = String(this.wholeSeconds('cors.maxAge', cors.maxAge));
    return result;
  }

  private bodySize(size: Size): string {
    const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
    if (!Number.isInteger(kib) || kib < 1) {
      fail(this, `'maxBodySize' (${kib} KiB) is not allowed: use a whole number of KiB of at least 1 (e.g. Size.mebibytes(8)).`);
    }
    return kib % 1024 === 0 ? `${kib / 1024}m` : `${kib}k`;
  }

  private wholeSeconds(what: string, duration: Duration, min = 1): number {
    const seconds = duration.toSeconds({ integral: false });
    if (!Number.isInteger(seconds) || seconds < min) {
      fail(this, `'${what}' (${seconds}s) is not allowed: use a whole number of seconds of at least ${min} (e.g. Duration.seconds(30)).`);
    }
    return seconds;
  }

  private positive(what: string, value: number): void {
    if (!Number.isInteger(value) || value < 1) {
      fail(this, `'${what}' ${show(value)} is not allowed: a rate limit must be a whole number greater than 0; leave the field out for no limit.`);
    }
  }
}

function isWorkload(backend: IWorkload | ServiceBackend): backend is IWorkload {
  return typeof (backend as IWorkload).findPort === 'function';
}

/** The port names of the workload's Service, when the workload exposes its Service object (SecureDeployment does). */
function exposedServicePorts(workload: IWorkload): string[] | undefined {
  const service = (workload as { service?: { toJson(): any } }).service;
  if (service === undefined || typeof service.toJson !== 'function') return undefined;
  const ports: Array<{ name?: string }> = service.toJson()?.spec?.ports ?? [];
  return ports.map((p) => p.name ?? '');
}

function tlsSecretName(host: string): string {
  return `${host.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}-tls`;
}

function sortRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
