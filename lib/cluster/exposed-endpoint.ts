import * as ipaddr from 'ipaddr.js';
import { IConstruct } from 'constructs';
import { fail, show } from '../common/errors';

/**
 * A metrics or debug endpoint bound to an address other than 127.0.0.1 (e.g. so an in-cluster
 * Prometheus can scrape it), with the reason recorded. Without one, these endpoints stay on the
 * loopback interface (CIS Kubernetes Benchmark v1.8.0, 1.3.7 and 1.4.2 for the controller manager
 * and the scheduler).
 */
export interface ExposedEndpoint {
  /** The IP address to bind, e.g. the node's address, or '0.0.0.0' for every interface. */
  readonly address: string;
  /** Why the endpoint must be reachable from off the node. */
  readonly reason: string;
}

/** The address to bind for `what`: 127.0.0.1, or the exposed one after checking it has an IP and a reason. */
export function bindAddress(scope: IConstruct, what: string, exposed: ExposedEndpoint | undefined): string {
  if (exposed === undefined) return '127.0.0.1';
  if (!ipaddr.isValid(exposed.address)) {
    fail(scope, `${what}.address ${show(exposed.address)} is not an IP address: write e.g. '0.0.0.0', or leave ${what} unset to keep the endpoint on 127.0.0.1.`);
  }
  if (exposed.reason.trim() === '') {
    fail(scope, `${what}.reason is empty: say why the endpoint must be reachable from off the node (e.g. 'scraped by the in-cluster Prometheus'), or leave ${what} unset to keep it on 127.0.0.1.`);
  }
  return ipaddr.parse(exposed.address).toString();
}

/** `host:port` with IPv6 hosts bracketed. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
