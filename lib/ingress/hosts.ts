import { isDns1123Subdomain } from '../common/validation';

const IPV4_LIKE = /^\d+(\.\d+){3}$/;

/**
 * True when `host` is a valid Ingress host: an RFC 1123 DNS name in lowercase (at most 253
 * characters, labels of at most 63), not an IP address, with `*` allowed only as the whole
 * first label (`*.company.com`).
 */
export function isIngressHost(host: string): boolean {
  const rest = host.startsWith('*.') ? host.slice(2) : host;
  if (rest.includes('*')) return false;
  if (IPV4_LIKE.test(rest) || rest.includes(':')) return false;
  // A wildcard host needs at least two labels after the star, as Kubernetes requires.
  if (host.startsWith('*.') && !rest.includes('.')) return false;
  return isDns1123Subdomain(rest) && rest.split('.').every((label) => label.length <= 63);
}

/** True when TLS host `tlsHost` (possibly `*.x.y`) covers routed host `host`. */
export function hostCovers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (!tlsHost.startsWith('*.')) return false;
  const suffix = tlsHost.slice(1); // '.company.com'
  if (host.startsWith('*.')) return false;
  // A wildcard matches exactly one label: 'a.company.com', not 'a.b.company.com'.
  return host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.');
}

/**
 * True when `origin` is a browser origin as CORS compares them: `http` or `https`, a host name,
 * an optional port, and nothing else (no path, query, fragment, user info or trailing slash).
 */
export function isOrigin(origin: string): boolean {
  const match = /^(https?):\/\/([^/:?#@]+)(?::(\d{1,5}))?$/.exec(origin);
  if (!match) return false;
  const [, , host, port] = match;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return false;
  return isDns1123Subdomain(host) || /^\d+(\.\d+){3}$/.test(host);
}
