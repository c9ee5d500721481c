// Public API of the ingress concern. Host and e-mail checks and annotation names stay internal.
export { SecureIngress, ALLOWED_NGINX_ANNOTATIONS } from './secure-ingress';
export type {
  SecureIngressProps, IngressRoute, IngressPathType, IngressTls, ServiceBackend, HstsOptions, CorsOptions,
  ProxyTimeouts, RateLimitOptions, UnsafeConfigurationSnippet,
} from './secure-ingress';
export { IngressClass } from './ingress-class';
export type { IngressClassProps } from './ingress-class';
export { AcmeClusterIssuer, LETS_ENCRYPT_PRODUCTION, LETS_ENCRYPT_STAGING } from './acme-cluster-issuer';
export type { AcmeClusterIssuerProps } from './acme-cluster-issuer';
