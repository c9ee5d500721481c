import { IConstruct } from 'constructs';
import * as ipaddr from 'ipaddr.js';
import { fail, show } from '../common/errors';

/** A parsed CIDR block. */
export interface Cidr {
  /** The text as written (`10.0.0.0/16`). */
  readonly text: string;
  /** `ipv4` or `ipv6`. */
  readonly family: 'ipv4' | 'ipv6';
  /** The prefix length (`16`). */
  readonly prefixLength: number;
  /** The network address, parsed. */
  readonly address: ipaddr.IPv4 | ipaddr.IPv6;
}

/** Parses `text` as a CIDR, or returns `undefined` when it is not one (IPv4 must be dotted quad). */
export function tryParseCidr(text: string): Cidr | undefined {
  if (!text.includes('/')) return undefined;
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
    parsed = ipaddr.IPv4.parseCIDR(text);
  } else if (!text.split('/')[0].includes('.') && ipaddr.IPv6.isValidCIDR(text)) {
    parsed = ipaddr.IPv6.parseCIDR(text);
  } else {
    return undefined;
  }
  return { text, family: parsed[0].kind(), prefixLength: parsed[1], address: parsed[0] };
}

/**
 * Parses `text` as a CIDR block whose address is the network address (no host bits set),
 * or throws a message naming `what`, the value and a corrected example.
 */
export function requireCidr(scope: IConstruct, what: string, text: string): Cidr {
  const cidr = tryParseCidr(text);
  if (cidr === undefined) {
    fail(scope, `${what} ${show(text)} is not a valid CIDR block: use an IPv4 or IPv6 network address and a prefix length (e.g. '10.0.0.0/16' or 'fd00::/64').`);
  }
  const network = networkAddress(cidr);
  if (network !== cidr.address.toString()) {
    fail(scope, `${what} ${show(text)} has host bits set: write the network address of the block, ${show(`${network}/${cidr.prefixLength}`)}.`);
  }
  return cidr;
}

function networkAddress(cidr: Cidr): string {
  return cidr.family === 'ipv4'
    ? ipaddr.IPv4.networkAddressFromCIDR(cidr.text).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(cidr.text).toString();
}

/** True when every address of `inner` is inside `outer` (same family). */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family || inner.prefixLength < outer.prefixLength) return false;
  return (inner.address as ipaddr.IPv4).match(outer.address as ipaddr.IPv4, outer.prefixLength);
}

/** True when two blocks share at least one address. */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}

/** True when the address `ip` (text) lies inside `cidr`. */
export function cidrContainsAddress(cidr: Cidr, ip: string): boolean {
  if (!ipaddr.isValid(ip)) return false;
  const address = ipaddr.parse(ip);
  if (address.kind() !== cidr.family) return false;
  return (address as ipaddr.IPv4).match(cidr.address as ipaddr.IPv4, cidr.prefixLength);
}
